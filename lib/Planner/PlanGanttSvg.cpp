// The simulated timeline as an SVG Gantt chart: a row per device group.
#include "PlanLabels.h"
#include "SvgCanvas.h"
#include "rlg/Planner/PlanOutputs.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

namespace rlg::planner {

namespace {

constexpr double kWidth = 1200;
constexpr double kRightMargin = 30;
constexpr double kPlotTop = 70;
constexpr double kLaneHeight = 22;
constexpr double kLanePad = 3;
constexpr double kRowPad = 7;
constexpr double kMinRowHeight = 44;
constexpr double kLabelFont = 12;
constexpr double kBarFont = 11;
constexpr size_t kMaxLabelChars = 44;

/// Events of one group placed in lanes so that none overlap: the lane of
/// each event (by index into evaluation.events) and the lane count.
struct Lanes {
  std::vector<int> laneOf;
  std::vector<int> count;
};

Lanes assignLanes(const Evaluation &evaluation, size_t groups) {
  Lanes lanes;
  lanes.laneOf.assign(evaluation.events.size(), 0);
  lanes.count.assign(groups, 1);
  std::vector<size_t> order(evaluation.events.size());
  for (size_t i = 0; i < order.size(); ++i)
    order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return evaluation.events[a].start < evaluation.events[b].start;
  });
  std::vector<std::vector<double>> laneEnds(groups);
  for (size_t index : order) {
    const SimEvent &event = evaluation.events[index];
    if (event.group < 0 || event.group >= static_cast<int>(groups))
      continue;
    auto &ends = laneEnds[event.group];
    constexpr double kTolerance = 1e-9;
    size_t lane = 0;
    while (lane < ends.size() && ends[lane] > event.start + kTolerance)
      ++lane;
    if (lane == ends.size())
      ends.push_back(event.end);
    else
      ends[lane] = event.end;
    lanes.laneOf[index] = static_cast<int>(lane);
    lanes.count[event.group] =
        std::max(lanes.count[event.group], static_cast<int>(lane) + 1);
  }
  return lanes;
}

double rowHeight(int laneCount) {
  return std::max(kMinRowHeight, laneCount * kLaneHeight + 2 * kRowPad);
}

std::string barTooltip(const SimEvent &event) {
  std::string text =
      fmt::format("{}, iteration {}", event.label, event.iteration);
  if (event.chunk >= 0)
    text += fmt::format(", chunk {}", event.chunk);
  return text + fmt::format(": {:.3f}-{:.3f} s ({:.3f} s)", event.start,
                            event.end, event.end - event.start);
}

/// What fits inside a bar `width` pixels wide: the event's label, else its
/// call's id, else the model's name, else nothing.
std::string barLabel(const PlanProblem &problem, const SimEvent &event,
                     double width) {
  std::vector<std::string> candidates = {event.label};
  const Workload &workload = problem.workload;
  if (event.call >= 0 && event.call < static_cast<int>(workload.calls.size()))
    candidates.push_back(workload.calls[event.call].id);
  size_t dot = event.label.find('.');
  if (event.kind == SimEvent::Kind::Call && dot != std::string::npos)
    candidates.push_back(event.label.substr(0, dot));
  for (const std::string &candidate : candidates)
    if (textWidth(candidate, kBarFont) + 8 <= width)
      return candidate;
  return "";
}

} // namespace

std::string planGanttSvg(const PlanProblem &problem, const Plan &plan,
                         const Evaluation &evaluation) {
  size_t groups = plan.groups.size();
  std::vector<std::string> headings, models;
  double labelWidth = 140;
  for (size_t g = 0; g < groups; ++g) {
    headings.push_back(
        fmt::format("group {} ({})", g, deviceRange(plan.groups[g])));
    models.push_back(shortened(
        groupModelNames(problem, plan, static_cast<int>(g)), kMaxLabelChars));
    labelWidth = std::max({labelWidth, textWidth(headings.back(), kLabelFont),
                           textWidth(models.back(), kLabelFont)});
  }
  double plotLeft = std::min(labelWidth + 28, 380.0);
  double plotWidth = kWidth - plotLeft - kRightMargin;

  double lastEnd = 0;
  int iterations = 0;
  for (const SimEvent &event : evaluation.events) {
    lastEnd = std::max(lastEnd, event.end);
    iterations = std::max(iterations, event.iteration + 1);
  }
  std::vector<double> ticks = niceTicks(lastEnd, 10);
  double span = ticks.back();
  double tickStep = ticks.size() > 1 ? ticks[1] - ticks[0] : span;
  auto xOf = [&](double seconds) {
    return plotLeft + seconds / span * plotWidth;
  };

  SvgCanvas canvas;
  std::string strategy = plan.strategy.empty() ? "plan" : plan.strategy;
  std::string title = fmt::format("Simulated timeline: {}, {:.3f} s per step",
                                  strategy, evaluation.stepSeconds);
  canvas.text(16, 28, title, 16, "start", "font-weight=\"bold\"");
  canvas.text(16, 50,
              fmt::format("{} | {} events over {} iterations | {:.1f} "
                          "generated tokens/s",
                          describeCluster(problem.cluster),
                          evaluation.events.size(), iterations,
                          evaluation.tokensPerSecond),
              12, "start", "fill=\"#555555\"");

  Lanes lanes = assignLanes(evaluation, groups);
  std::vector<double> rowTop(groups + 1, kPlotTop);
  for (size_t g = 0; g < groups; ++g)
    rowTop[g + 1] = rowTop[g] + rowHeight(lanes.count[g]);
  double plotBottom = rowTop[groups];

  for (size_t g = 0; g < groups; ++g) {
    canvas.rect(0, rowTop[g], kWidth, rowTop[g + 1] - rowTop[g],
                g % 2 ? "#ffffff" : "#f3f4f6", "class=\"row\"");
    double middle = (rowTop[g] + rowTop[g + 1]) / 2;
    canvas.text(16, middle - 3, headings[g], kLabelFont, "start",
                "font-weight=\"bold\"");
    canvas.text(16, middle + 13, models[g], kLabelFont, "start",
                "fill=\"#444444\"");
  }
  for (double tick : ticks) {
    double x = xOf(tick);
    canvas.line(x, kPlotTop, x, plotBottom, "#d0d0d0", 1);
    canvas.line(x, plotBottom, x, plotBottom + 5, "#333333", 1);
    canvas.text(x, plotBottom + 19, tickLabel(tick, tickStep), 11, "middle");
  }
  canvas.line(plotLeft, plotBottom, plotLeft + plotWidth, plotBottom, "#333333",
              1);
  canvas.line(plotLeft, kPlotTop, plotLeft, plotBottom, "#333333", 1);
  canvas.text(plotLeft + plotWidth / 2, plotBottom + 38, "time (s)", 12,
              "middle");

  std::set<std::string> keysUsed;
  for (size_t i = 0; i < evaluation.events.size(); ++i) {
    const SimEvent &event = evaluation.events[i];
    if (event.group < 0 || event.group >= static_cast<int>(groups))
      continue;
    std::string key = eventColourKey(problem, event);
    keysUsed.insert(key);
    const char *fill = colourOfKey(key);
    double x = xOf(event.start);
    double width = (event.end - event.start) / span * plotWidth;
    double y = rowTop[event.group] + kRowPad + lanes.laneOf[i] * kLaneHeight +
               kLanePad / 2;
    double height = kLaneHeight - kLanePad;
    canvas.rect(x, y, width, height, fill,
                fmt::format("class=\"bar\" data-kind=\"{}\" stroke=\"#ffffff\" "
                            "stroke-width=\"0.5\"",
                            xmlEscape(key)),
                barTooltip(event));
    std::string label = barLabel(problem, event, width);
    if (!label.empty())
      canvas.text(x + 4, y + height / 2 + 4, label, kBarFont, "start",
                  fmt::format("fill=\"{}\"", textColourOn(fill)));
  }
  if (evaluation.events.empty())
    canvas.text(plotLeft + plotWidth / 2, (kPlotTop + plotBottom) / 2 + 4,
                "no simulated events", 12, "middle", "fill=\"#888888\"");

  std::vector<std::pair<std::string, std::string>> legend;
  for (const std::string &key : colourKeys())
    if (keysUsed.count(key))
      legend.push_back({key, colourOfKey(key)});
  double legendHeight =
      canvas.legend(plotLeft, plotBottom + 54, plotWidth, legend);
  double height = plotBottom + 54 + legendHeight + 12;
  return canvas.finish(kWidth, height, title);
}

} // namespace rlg::planner
