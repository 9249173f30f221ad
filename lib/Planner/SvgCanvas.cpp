// The SVG writer behind the planner's charts.
#include "SvgCanvas.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace rlg::planner {

std::string xmlEscape(const std::string &text) {
  std::string out;
  for (char c : text) {
    switch (c) {
    case '&':
      out += "&amp;";
      break;
    case '<':
      out += "&lt;";
      break;
    case '>':
      out += "&gt;";
      break;
    case '"':
      out += "&quot;";
      break;
    case '\'':
      out += "&apos;";
      break;
    default:
      out += c;
    }
  }
  return out;
}

std::string shortened(const std::string &text, size_t chars) {
  if (text.size() <= chars)
    return text;
  return text.substr(0, chars > 3 ? chars - 3 : 0) + "...";
}

double textWidth(const std::string &text, double fontSize) {
  // Average advance of Helvetica/DejaVu Sans glyphs, a little generous.
  return static_cast<double>(text.size()) * fontSize * 0.6;
}

std::vector<double> niceTicks(double max, int target) {
  if (!(max > 0))
    max = 1;
  double raw = max / std::max(1, target);
  double power = std::pow(10.0, std::floor(std::log10(raw)));
  double step = power * 10;
  for (double factor : {1.0, 2.0, 5.0, 10.0})
    if (raw <= factor * power) {
      step = factor * power;
      break;
    }
  std::vector<double> ticks;
  for (int i = 0;; ++i) {
    ticks.push_back(i * step);
    if (i * step >= max * (1 - 1e-9))
      break;
  }
  return ticks;
}

std::string tickLabel(double value, double step) {
  int decimals =
      step >= 1 ? 0 : static_cast<int>(std::ceil(-std::log10(step) - 1e-9));
  return fmt::format("{:.{}f}", value, decimals);
}

const char *textColourOn(const std::string &fill) {
  if (fill.size() != 7 || fill[0] != '#')
    return "#000000";
  auto channel = [&](size_t at) {
    return std::stoi(fill.substr(at, 2), nullptr, 16) / 255.0;
  };
  // Rec. 709 luma of the (gamma-encoded) colour.
  double luma = 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
  return luma < 0.55 ? "#ffffff" : "#1a1a1a";
}

void SvgCanvas::rect(double x, double y, double width, double height,
                     const std::string &fill, const std::string &extra,
                     const std::string &tooltip) {
  body_ += fmt::format(
      "<rect x=\"{:.2f}\" y=\"{:.2f}\" width=\"{:.2f}\" height=\"{:.2f}\" "
      "fill=\"{}\"{}{}",
      x, y, std::max(0.0, width), std::max(0.0, height), fill,
      extra.empty() ? "" : " " + extra,
      tooltip.empty() ? "/>\n"
                      : ">" + fmt::format("<title>{}</title></rect>\n",
                                          xmlEscape(tooltip)));
}

void SvgCanvas::line(double x1, double y1, double x2, double y2,
                     const std::string &stroke, double strokeWidth,
                     const std::string &extra) {
  body_ += fmt::format("<line x1=\"{:.2f}\" y1=\"{:.2f}\" x2=\"{:.2f}\" "
                       "y2=\"{:.2f}\" stroke=\"{}\" stroke-width=\"{}\"{}/>\n",
                       x1, y1, x2, y2, stroke, strokeWidth,
                       extra.empty() ? "" : " " + extra);
}

void SvgCanvas::text(double x, double y, const std::string &content,
                     double fontSize, const std::string &anchor,
                     const std::string &extra) {
  body_ +=
      fmt::format("<text x=\"{:.2f}\" y=\"{:.2f}\" font-size=\"{}\"{}{}>"
                  "{}</text>\n",
                  x, y, fontSize,
                  anchor == "start" ? "" : " text-anchor=\"" + anchor + "\"",
                  extra.empty() ? "" : " " + extra, xmlEscape(content));
}

double SvgCanvas::legend(
    double x, double y, double maxWidth,
    const std::vector<std::pair<std::string, std::string>> &nameAndColour,
    const std::string &extraSwatch) {
  constexpr double kSwatch = 12, kRow = 20, kFont = 12;
  double cursor = x, rowTop = y;
  for (const auto &[name, colour] : nameAndColour) {
    double width = kSwatch + 6 + textWidth(name, kFont) + 18;
    if (cursor > x && cursor + width > x + maxWidth) {
      cursor = x;
      rowTop += kRow;
    }
    rect(cursor, rowTop, kSwatch, kSwatch, colour,
         extraSwatch.empty() ? "class=\"swatch\"" : extraSwatch);
    text(cursor + kSwatch + 6, rowTop + kSwatch - 1.5, name, kFont);
    cursor += width;
  }
  return nameAndColour.empty() ? 0 : rowTop - y + kRow;
}

std::string SvgCanvas::finish(double width, double height,
                              const std::string &title) const {
  return fmt::format(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" "
      "width=\"{0:.0f}\" height=\"{1:.0f}\" viewBox=\"0 0 {0:.0f} {1:.0f}\" "
      "font-family=\"Helvetica, Arial, sans-serif\">\n"
      "<title>{2}</title>\n"
      "<rect x=\"0\" y=\"0\" width=\"{0:.0f}\" height=\"{1:.0f}\" "
      "fill=\"#ffffff\"/>\n"
      "{3}</svg>\n",
      std::ceil(width), std::ceil(height), xmlEscape(title), body_);
}

} // namespace rlg::planner
