package io.tributary.testing;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigValue;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.eclipse.microprofile.config.spi.Converter;

/** MicroProfile Config from a map, for testing configured beans outside the container. */
public final class MapConfig implements Config {
  private final Map<String, String> values = new HashMap<>();

  public MapConfig with(String key, String value) {
    values.put(key, value);
    return this;
  }

  @Override
  public <T> T getValue(String name, Class<T> type) {
    return getOptionalValue(name, type).orElseThrow(() -> new NoSuchElementException(name));
  }

  @Override
  @SuppressWarnings("unchecked")
  public <T> Optional<T> getOptionalValue(String name, Class<T> type) {
    String v = values.get(name);
    if (v == null) {
      return Optional.empty();
    }
    Object converted =
        type == String.class ? v
            : type == Integer.class ? Integer.valueOf(v)
            : type == Long.class ? Long.valueOf(v)
            : type == Boolean.class ? Boolean.valueOf(v)
            : null;
    if (converted == null) {
      throw new IllegalArgumentException("MapConfig cannot convert to " + type);
    }
    return Optional.of((T) converted);
  }

  @Override
  public ConfigValue getConfigValue(String name) {
    throw new UnsupportedOperationException();
  }

  @Override
  public Iterable<String> getPropertyNames() {
    return values.keySet();
  }

  @Override
  public Iterable<ConfigSource> getConfigSources() {
    return List.of();
  }

  @Override
  public <T> Optional<Converter<T>> getConverter(Class<T> forType) {
    return Optional.empty();
  }

  @Override
  public <T> T unwrap(Class<T> type) {
    throw new UnsupportedOperationException();
  }
}
