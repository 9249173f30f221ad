// Peak memory per GPU as an SVG chart: a stacked bar per device group and
// phase, against the device's usable and total memory.
#include "PlanLabels.h"
#include "SvgCanvas.h"
#include "rlg/Planner/MemoryFit.h"
#include "rlg/Planner/PlanOutputs.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>

namespace rlg::planner {

namespace {

constexpr double kGiB = 1024.0 * 1024.0 * 1024.0;
constexpr double kPlotLeft = 80;
constexpr double kRightMargin = 130;
constexpr double kPlotTop = 76;
constexpr double kPlotHeight = 340;
constexpr double kSlot = 64;
constexpr double kGroupGap = 28;
constexpr double kPhaseFont = 11;
constexpr double kLabelAngle = 35; // degrees, for phase names too wide
constexpr size_t kMaxModelChars = 40;
constexpr size_t kMaxPhaseChars = 20; // slanted, they reach left of the bar

struct LedgerEntry {
  const char *name;
  const char *colour;
  double MemoryLedger::*bytes;
};

constexpr std::array<LedgerEntry, 6> kEntries = {{
    {"weights", "#4e79a7", &MemoryLedger::weights},
    {"gradients", "#f28e2b", &MemoryLedger::gradients},
    {"optimizer", "#e15759", &MemoryLedger::optimizer},
    {"activations", "#76b7b2", &MemoryLedger::activations},
    {"kvCache", "#59a14f", &MemoryLedger::kvCache},
    {"buffers", "#edc948", &MemoryLedger::buffers},
}};

/// One device group's share of the x axis.
struct GroupColumn {
  std::vector<const PhaseMemory *> phases;
  std::string heading, models;
  double left = 0, width = 0;
};

std::vector<GroupColumn> layoutColumns(const PlanProblem &problem,
                                       const Plan &plan,
                                       const Evaluation &evaluation) {
  std::vector<GroupColumn> columns(plan.groups.size());
  for (const PhaseMemory &phase : evaluation.memory)
    if (phase.group >= 0 && phase.group < static_cast<int>(columns.size()))
      columns[phase.group].phases.push_back(&phase);
  double left = kPlotLeft + kGroupGap / 2;
  for (size_t g = 0; g < columns.size(); ++g) {
    GroupColumn &column = columns[g];
    column.heading =
        fmt::format("group {} ({})", g, deviceRange(plan.groups[g]));
    column.models = shortened(
        groupModelNames(problem, plan, static_cast<int>(g)), kMaxModelChars);
    double textNeeds =
        std::max(textWidth(column.heading, 12), textWidth(column.models, 12)) +
        12;
    column.left = left;
    column.width = std::max(
        {kSlot * static_cast<double>(column.phases.size()), textNeeds, kSlot});
    left += column.width + kGroupGap;
  }
  return columns;
}

} // namespace

std::string planMemorySvg(const PlanProblem &problem, const Plan &plan,
                          const Evaluation &evaluation) {
  const DeviceProfile &device = problem.cluster.device;
  double usableGiB = usableBytes(device) / kGiB;
  std::vector<GroupColumn> columns = layoutColumns(problem, plan, evaluation);
  double plotRight = kPlotLeft + kGroupGap / 2;
  if (!columns.empty())
    plotRight = columns.back().left + columns.back().width + kGroupGap / 2;
  plotRight = std::max(plotRight, kPlotLeft + 420);
  double width = plotRight + kRightMargin;

  double highest = device.memoryGiB;
  for (const PhaseMemory &phase : evaluation.memory)
    highest = std::max(highest, phase.ledger.total() / kGiB);
  std::vector<double> ticks = niceTicks(highest * 1.04, 6);
  double top = ticks.back();
  double tickStep = ticks.size() > 1 ? ticks[1] - ticks[0] : top;
  double plotBottom = kPlotTop + kPlotHeight;
  auto yOf = [&](double gib) { return plotBottom - gib / top * kPlotHeight; };

  SvgCanvas canvas;
  std::string strategy = plan.strategy.empty() ? "plan" : plan.strategy;
  std::string title = fmt::format("Peak memory per GPU by phase: {}", strategy);
  canvas.text(16, 28, title, 16, "start", "font-weight=\"bold\"");
  canvas.text(16, 50,
              fmt::format("{}: {:.1f} GiB per GPU, {:.1f} GiB usable (less "
                          "2 GiB for CUDA and NCCL, and 5 %)",
                          device.name, device.memoryGiB, usableGiB),
              12, "start", "fill=\"#555555\"");

  for (double tick : ticks) {
    double y = yOf(tick);
    canvas.line(kPlotLeft, y, plotRight, y, "#e0e0e0", 1);
    canvas.line(kPlotLeft - 5, y, kPlotLeft, y, "#333333", 1);
    canvas.text(kPlotLeft - 8, y + 4, tickLabel(tick, tickStep), 11, "end");
  }
  canvas.line(kPlotLeft, kPlotTop, kPlotLeft, plotBottom, "#333333", 1);
  canvas.line(kPlotLeft, plotBottom, plotRight, plotBottom, "#333333", 1);
  double axisMiddle = kPlotTop + kPlotHeight / 2;
  canvas.text(24, axisMiddle, "GiB per GPU", 12, "middle",
              fmt::format("transform=\"rotate(-90 24 {:.2f})\"", axisMiddle));

  // Phase names under their bars, all slanted when one is wider than its
  // bar's slot.
  bool slanted = false;
  double widestName = 0;
  for (const GroupColumn &column : columns) {
    double slot = column.width / std::max<size_t>(1, column.phases.size());
    for (const PhaseMemory *phase : column.phases) {
      double name =
          textWidth(shortened(phase->phase, kMaxPhaseChars), kPhaseFont);
      widestName = std::max(widestName, name);
      slanted = slanted || name > slot - 8;
    }
  }
  double labelDepth =
      slanted ? widestName * std::sin(kLabelAngle * M_PI / 180) + 22 : 18;

  double groupTop = plotBottom + labelDepth + 8;
  for (const GroupColumn &column : columns) {
    double slot = column.width / std::max<size_t>(1, column.phases.size());
    double barWidth = std::min(40.0, slot * 0.62);
    for (size_t i = 0; i < column.phases.size(); ++i) {
      const PhaseMemory &phase = *column.phases[i];
      double centre = column.left + slot * (i + 0.5);
      double stacked = 0;
      for (const LedgerEntry &entry : kEntries) {
        double gib = phase.ledger.*entry.bytes / kGiB;
        if (gib <= 0)
          continue;
        canvas.rect(
            centre - barWidth / 2, yOf(stacked + gib), barWidth,
            yOf(stacked) - yOf(stacked + gib), entry.colour,
            fmt::format("class=\"segment\" data-kind=\"{}\"", entry.name),
            fmt::format("group {}, {}: {} {:.2f} GiB", phase.group, phase.phase,
                        entry.name, gib));
        stacked += gib;
      }
      canvas.text(centre, yOf(stacked) - 5, fmt::format("{:.1f}", stacked), 10,
                  "middle",
                  stacked > usableGiB ? "fill=\"#c0392b\" font-weight=\"bold\""
                                      : "fill=\"#333333\"");
      std::string name = shortened(phase.phase, kMaxPhaseChars);
      if (slanted)
        canvas.text(centre + 4, plotBottom + 14, name, kPhaseFont, "end",
                    fmt::format("transform=\"rotate(-{} {:.2f} {:.2f})\"",
                                kLabelAngle, centre + 4, plotBottom + 14));
      else
        canvas.text(centre, plotBottom + 16, name, kPhaseFont, "middle");
    }
    double middle = column.left + column.width / 2;
    canvas.line(column.left + 2, groupTop, column.left + column.width - 2,
                groupTop, "#888888", 1);
    canvas.text(middle, groupTop + 16, column.heading, 12, "middle",
                "font-weight=\"bold\"");
    canvas.text(middle, groupTop + 32, column.models, 12, "middle",
                "fill=\"#444444\"");
  }
  if (evaluation.memory.empty())
    canvas.text((kPlotLeft + plotRight) / 2, axisMiddle, "no phases", 12,
                "middle", "fill=\"#888888\"");

  // Capacity lines, their labels kept apart when the values are close.
  double usableY = yOf(usableGiB), totalY = yOf(device.memoryGiB);
  canvas.line(kPlotLeft, usableY, plotRight, usableY, "#c0392b", 1.5,
              "stroke-dasharray=\"6 4\" class=\"usable\"");
  canvas.line(kPlotLeft, totalY, plotRight, totalY, "#333333", 1.5,
              "stroke-dasharray=\"2 3\" class=\"capacity\"");
  double usableLabelY = usableY + 4, totalLabelY = totalY + 4;
  if (usableLabelY - totalLabelY < 14) {
    double middle = (usableLabelY + totalLabelY) / 2;
    totalLabelY = middle - 7;
    usableLabelY = middle + 7;
  }
  canvas.text(plotRight + 6, usableLabelY,
              fmt::format("usable {:.1f} GiB", usableGiB), 11, "start",
              "fill=\"#c0392b\"");
  canvas.text(plotRight + 6, totalLabelY,
              fmt::format("device {:.1f} GiB", device.memoryGiB), 11, "start",
              "fill=\"#333333\"");

  double legendTop = groupTop + 52;
  std::vector<std::pair<std::string, std::string>> legend;
  for (const LedgerEntry &entry : kEntries)
    legend.push_back({entry.name, entry.colour});
  double legendHeight =
      canvas.legend(kPlotLeft, legendTop, plotRight - kPlotLeft, legend);
  return canvas.finish(width, legendTop + legendHeight + 12, title);
}

} // namespace rlg::planner
