package io.tributary.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.util.Arrays;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.xml.sax.InputSource;

/** The server-rendered SVG charts: scaling, paths with gaps, and markup the CSP allows. */
class SvgChartTest {

  static List<Double> values(Double... v) {
    return Arrays.asList(v);
  }

  @Test
  void niceMaximaAreOneTwoOrFiveTimesAPowerOfTen() {
    assertEquals(1000, SvgChart.niceMax(0));
    assertEquals(1000, SvgChart.niceMax(Double.NaN));
    assertEquals(1, SvgChart.niceMax(0.3));
    assertEquals(200, SvgChart.niceMax(130));
    assertEquals(500, SvgChart.niceMax(201));
    assertEquals(1000, SvgChart.niceMax(1000));
    assertEquals(10_000, SvgChart.niceMax(5001));
  }

  @Test
  void valuesMapOntoThePlotTopDown() {
    assertEquals(SvgChart.TOP + SvgChart.PLOT_HEIGHT, SvgChart.y(0, 1), 1e-9);
    assertEquals(SvgChart.TOP, SvgChart.y(1, 1), 1e-9);
    assertEquals(SvgChart.TOP + SvgChart.PLOT_HEIGHT / 2.0, SvgChart.y(50, 100), 1e-9);
    assertEquals(SvgChart.TOP, SvgChart.y(250, 100), 1e-9, "clamped");
    assertEquals(SvgChart.LEFT, SvgChart.x(0, 5), 1e-9);
    assertEquals(SvgChart.LEFT + SvgChart.PLOT_WIDTH, SvgChart.x(4, 5), 1e-9);
    assertEquals(SvgChart.LEFT + SvgChart.PLOT_WIDTH / 2.0, SvgChart.x(0, 1), 1e-9, "a lone bucket is centred");
  }

  @Test
  void aMissingValueBreaksTheLine() {
    // 5 buckets over 564 px: x = 60, 201, 342, 483, 624; y on 0..1 over 160 px from 12.
    String d = SvgChart.path(values(1.0, 0.5, null, 0.0, 1.0), 1.0);
    assertEquals("M60.0 12.0 L201.0 92.0 M483.0 172.0 L624.0 12.0", d);
    assertEquals("", SvgChart.path(values(null, null), 1.0));
  }

  @Test
  void theMarkupIsWellFormedAccessibleAndFreeOfScriptAndStyle() throws Exception {
    String svg =
        SvgChart.render(
            "c1",
            "Rate <\"&'>",
            "desc & more",
            SvgChart.Scale.RATE,
            List.of("09:00", "10:00", "11:00"),
            List.of(
                new SvgChart.Series("github", "GitHub", values(1.0, null, 0.5)),
                new SvgChart.Series("notion", "Notion <x>", values(null, 0.25, null))));
    Document doc =
        DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new InputSource(new StringReader(svg)));
    assertEquals("svg", doc.getDocumentElement().getTagName());
    assertEquals("img", doc.getDocumentElement().getAttribute("role"));
    assertEquals("c1-title c1-desc", doc.getDocumentElement().getAttribute("aria-labelledby"));
    assertEquals("Rate <\"&'>", doc.getElementsByTagName("title").item(0).getTextContent());
    assertFalse(svg.contains("style="), "no style attributes: the CSP forbids inline styles");
    assertFalse(svg.toLowerCase().contains("<script"));
    assertFalse(svg.toLowerCase().contains(" on"), "no event handler attributes");
    assertTrue(svg.contains("stroke-dasharray=\"7 4\""), "Notion is dashed, not only coloured");
    assertEquals(2, doc.getElementsByTagName("path").getLength(), "one line per series");
    assertEquals(3, doc.getElementsByTagName("circle").getLength(), "one dot per value");
    assertTrue(svg.contains(">100 %<") && svg.contains(">50 %<") && svg.contains(">0 %<"));
    assertTrue(svg.contains(">Notion &lt;x&gt;<"));
  }

  @Test
  void durationAxesUseRoundMaximaInReadableUnits() {
    String svg =
        SvgChart.render(
            "c2", "t", "d", SvgChart.Scale.DURATION, List.of("a", "b"),
            List.of(new SvgChart.Series("slack", "Slack", values(1300.0, 700.0))));
    assertTrue(svg.contains(">2.0 s<") && svg.contains(">1.0 s<") && svg.contains(">0 ms<"), svg);
  }
}
