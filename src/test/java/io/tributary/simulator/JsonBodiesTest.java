package io.tributary.simulator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The simulator's JSON writer writes exactly the bytes JSON-P's writer writes. */
class JsonBodiesTest {

  private static void assertSameAsJsonP(JsonValue value) {
    byte[] expected = JsonBodies.parssonBytes(value);
    assertArrayEquals(expected, JsonBodies.bytes(value), () -> "for " + new String(expected, StandardCharsets.UTF_8));
  }

  @Test
  void everyAsciiCharacterAndSomeBeyondAreEscapedAsJsonPEscapesThem() {
    StringBuilder all = new StringBuilder();
    for (char c = 0; c < 0x80; c++) {
      all.append(c);
      assertSameAsJsonP(JsonBodies.object().add("c" + (int) c, String.valueOf(c)).build());
    }
    String beyond = "é ß 日本語 \u2028 \u2029 \uFEFF 😀 \u007f";
    assertSameAsJsonP(JsonBodies.object().add(all.toString(), all + beyond).add(beyond, "").build());
    assertEquals(
        "[\"a\\\"b\\\\c\\n\\u0001/\"]",
        new String(JsonBodies.bytes(JsonBodies.array().add("a\"b\\c\n\u0001/").build()), StandardCharsets.UTF_8));
  }

  @Test
  void numbersLiteralsAndNestingAreWrittenAsJsonPWritesThem() {
    JsonValue value =
        JsonBodies.object()
            .add("int", 42)
            .add("negative", -7)
            .add("long", Long.MAX_VALUE)
            .add("big", new BigInteger("123456789012345678901234567890"))
            .add("decimal", new BigDecimal("1.50"))
            .add("exponent", new BigDecimal("1E+10"))
            .add("double", 0.1)
            .add("true", true)
            .add("false", false)
            .addNull("null")
            .add("empty object", JsonBodies.object())
            .add("empty array", JsonBodies.array())
            .add("nested", JsonBodies.array().add(JsonBodies.object().add("a", JsonBodies.array().add(1).addNull().add("x"))).add(JsonBodies.array()))
            .build();
    assertSameAsJsonP(value);
    assertSameAsJsonP(JsonValue.NULL);
    assertSameAsJsonP(JsonValue.TRUE);
    assertSameAsJsonP(JsonBodies.array().add("just a string").build().get(0));
  }

  /** Random documents with random code points (surrogate pairs and lone surrogates included). */
  @Test
  void randomDocumentsAreWrittenAsJsonPWritesThem() {
    Random random = new Random(20261208);
    for (int i = 0; i < 500; i++) {
      assertSameAsJsonP(randomValue(random, 0));
    }
  }

  private static JsonValue randomValue(Random random, int depth) {
    int kind = depth > 3 ? random.nextInt(4) : random.nextInt(6);
    return switch (kind) {
      case 0 -> JsonBodies.array().add(randomString(random)).build().get(0);
      case 1 -> JsonBodies.array().add(random.nextLong()).build().get(0);
      case 2 -> random.nextBoolean() ? JsonValue.TRUE : JsonValue.NULL;
      case 3 -> JsonBodies.array().add(random.nextDouble() * 1e6).build().get(0);
      case 4 -> {
        JsonObjectBuilder object = JsonBodies.object();
        for (int n = random.nextInt(6); n > 0; n--) {
          object.add(randomString(random), randomValue(random, depth + 1));
        }
        yield object.build();
      }
      default -> {
        JsonArrayBuilder array = JsonBodies.array();
        for (int n = random.nextInt(6); n > 0; n--) {
          array.add(randomValue(random, depth + 1));
        }
        yield array.build();
      }
    };
  }

  private static String randomString(Random random) {
    StringBuilder s = new StringBuilder();
    for (int n = random.nextInt(20); n > 0; n--) {
      switch (random.nextInt(4)) {
        case 0 -> s.append((char) random.nextInt(0x80));
        case 1 -> s.append((char) random.nextInt(0x10000)); // lone surrogates too
        case 2 -> s.appendCodePoint(0x10000 + random.nextInt(0x100000));
        default -> s.append("plain text ");
      }
    }
    return s.toString();
  }
}
