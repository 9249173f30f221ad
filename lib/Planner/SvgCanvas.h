// A small SVG 1.1 writer for the planner's charts: shapes, escaped text,
// legends and axis ticks (private to lib/Planner).
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace rlg::planner {

/// `text` with &, <, >, " and ' as XML entities.
std::string xmlEscape(const std::string &text);

/// `text` cut to at most `chars` characters, ending in "..." when cut.
std::string shortened(const std::string &text, size_t chars);

/// Rough width in pixels of `text` at `fontSize` in a sans-serif font.
double textWidth(const std::string &text, double fontSize);

/// Round tick values 0, step, 2 step, ... up to the first at or past `max`,
/// with step 1, 2 or 5 times a power of ten and about `target` ticks.
std::vector<double> niceTicks(double max, int target);
/// Black or white, whichever reads better on the fill "#rrggbb".
const char *textColourOn(const std::string &fill);

/// A tick value with as many decimals as its step needs ("0.5", "10").
std::string tickLabel(double value, double step);

class SvgCanvas {
public:
  // `extra` is raw attribute text such as `class="bar"`: values in it are
  // the caller's to escape. Text content and tooltips are escaped here.
  void rect(double x, double y, double width, double height,
            const std::string &fill, const std::string &extra = "",
            const std::string &tooltip = "");
  void line(double x1, double y1, double x2, double y2,
            const std::string &stroke, double strokeWidth = 1,
            const std::string &extra = "");
  /// `anchor`: "start", "middle" or "end".
  void text(double x, double y, const std::string &content,
            double fontSize = 12, const std::string &anchor = "start",
            const std::string &extra = "");
  /// Coloured swatches with names, wrapped to rows within `maxWidth`
  /// starting at (x, y); returns the height used.
  double
  legend(double x, double y, double maxWidth,
         const std::vector<std::pair<std::string, std::string>> &nameAndColour,
         const std::string &extraSwatch = "");

  /// The document: width, height and viewBox set, a white background.
  std::string finish(double width, double height,
                     const std::string &title) const;

private:
  std::string body_;
};

} // namespace rlg::planner
