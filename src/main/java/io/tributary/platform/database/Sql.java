package io.tributary.platform.database;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Instants in and out of {@code TIMESTAMP WITH TIME ZONE} columns as {@link OffsetDateTime} in UTC,
 * which both drivers map exactly, whatever the JVM's default time zone.
 */
public final class Sql {
  private Sql() {}

  public static void setInstant(PreparedStatement ps, int index, Instant value) throws SQLException {
    if (value == null) {
      ps.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
    } else {
      ps.setObject(index, OffsetDateTime.ofInstant(value, ZoneOffset.UTC));
    }
  }

  /**
   * The instant in a {@code TIMESTAMP WITH TIME ZONE} column. Read with the plain {@code getObject}:
   * the server's result-set wrapper passes {@code getObject(column, Class)} on by reflection, a
   * method lookup per value. PostgreSQL's driver gives a {@link Timestamp} (an instant, to the
   * microsecond), H2's an {@link OffsetDateTime}; any other driver is asked for an OffsetDateTime.
   */
  public static Instant instant(ResultSet rs, int column) throws SQLException {
    Object value = rs.getObject(column);
    if (value == null) {
      return null;
    }
    if (value instanceof Timestamp t) {
      return t.toInstant();
    }
    if (value instanceof OffsetDateTime t) {
      return t.toInstant();
    }
    return rs.getObject(column, OffsetDateTime.class).toInstant();
  }

  public static Instant instant(ResultSet rs, String column) throws SQLException {
    return instant(rs, rs.findColumn(column));
  }
}
