// `rlg launch`: plan a program for N devices (or take a planned schedule)
// and start N ranks of rlg-runtime on it on this machine.
#include "ClusterErrors.h"
#include "Commands.h"

#include "rlg/Schedule/ScheduleValidator.h"
#include "rlg/Spec/ClusterSpec.h"

#ifdef RLG_HAVE_MLIR
#include "PlanInputs.h"
#include "PlanSchedule.h"
#include "ProgramLoader.h"

#include "rlg/Schedule/ScheduleIO.h"
#endif

#include <filesystem>
#include <iostream>

namespace rlg::driver {

namespace {

int launchError(const std::string &message, const std::string &hint) {
  std::cerr << "rlg launch: error: " << message << "\nhint: " << hint << '\n';
  return kExitUserError;
}

std::string devices(int64_t count) {
  return std::to_string(count) + (count == 1 ? " device" : " devices");
}

/// Reads and validates the schedule at `path` and checks that it is planned
/// for `nproc` devices.
int checkSchedule(const std::string &path, int64_t nproc) {
  schedule::Schedule plan;
  std::vector<schedule::ScheduleError> errors;
  if (!schedule::loadSchedule(path, plan, errors)) {
    for (const schedule::ScheduleError &error : errors) {
      std::cerr << path << ": error: " << schedule::formatScheduleError(error)
                << '\n';
      if (!error.hint.empty())
        std::cerr << "hint: " << error.hint << '\n';
    }
    return kExitUserError;
  }
  int64_t count = plan.cluster.deviceCount;
  if (count != nproc)
    return launchError(
        path + " is planned for " + devices(count) + ", but --nproc is " +
            std::to_string(nproc),
        "launch one process per device: --nproc " + std::to_string(count) +
            ", or plan the program for " + devices(nproc) +
            " (rlg launch --nproc " + std::to_string(nproc) + " FILE.rlg)");
  return kExitOk;
}

#ifdef RLG_HAVE_MLIR
/// The cluster planned for without --cluster: one node of `count` CPU
/// devices with 16 GiB each (programs/clusters/cpu.toml, `count` wide).
bool localCluster(int64_t count, ClusterSpec &cluster) {
  std::string text =
      "name = \"cpu\"\nnodes = 1\ndevices_per_node = " + std::to_string(count) +
      "\ndevice = \"CPU\"\n[device_overrides]\n"
      "memory_gib = 16\n";
  std::vector<ClusterError> errors;
  if (readClusterSpec(text, cluster, errors))
    return true;
  printClusterErrors(std::cerr, "the local cluster", errors);
  return false;
}

/// Plans the program with the search strategy for the cluster and writes
/// OUT/schedule.json; sets `schedulePath`.
int planProgram(const LaunchOptions &options, const std::string &out,
                std::string &schedulePath) {
  const RunOptions &run = options.run;
  PlanInputs inputs;
  if (options.cluster.empty()) {
    if (!localCluster(options.nproc, inputs.cluster))
      return kExitInternalError;
  } else {
    if (!readClusterOrReport(options.cluster, inputs.cluster))
      return kExitUserError;
    int64_t count = inputs.cluster.deviceCount();
    if (count != options.nproc)
      return launchError(
          options.cluster + " is a cluster of " +
              describeCluster(inputs.cluster) + ", but --nproc is " +
              std::to_string(options.nproc),
          "launch one process per device of the cluster: --nproc " +
              std::to_string(count) + ", or give a cluster of " +
              devices(options.nproc) + " (or none: " + devices(options.nproc) +
              " of this machine's CPU)");
  }
  ProgramLoader program;
  program.params = run.params;
  if (int code = program.load(run.file, run.color))
    return code;
  if (int code = applySettings("launch", {}, program, inputs))
    return code;
  PlannedSchedule planned;
  if (int code = planSchedule(run.file, program, inputs.planOptions("search"),
                              planned))
    return code;
  int64_t used = planned.schedule.cluster.deviceCount;
  if (used != options.nproc)
    return launchError(
        "the search strategy placed " + run.file + " on " + devices(used) +
            " of the " + devices(options.nproc) + " (" +
            describeCluster(inputs.cluster) + ")",
        "launch it with --nproc " + std::to_string(used) +
            "; `rlg plan FILE --cluster C.toml` shows the plan and why");
  schedulePath = (std::filesystem::path(out) / "schedule.json").string();
  if (!writeFileAtomically(out, "schedule.json",
                           schedule::writeScheduleJson(planned.schedule)))
    return kExitUserError;
  if (!run.quiet)
    std::cout << "rlg launch: planned " << program.programName() << " for "
              << describeCluster(inputs.cluster)
              << " with the search strategy: " << schedulePath << '\n';
  return kExitOk;
}
#endif

} // namespace

int runLaunch(const LaunchOptions &options) {
  const RunOptions &run = options.run;
  if (run.runtime.empty())
    return launchError("rlg-runtime is not built beside rlg",
                       "configure with -DRLG_ENABLE_TORCH=ON, or plan with "
                       "`rlg plan` and launch the schedule on a machine that "
                       "has the runtime (rlg-runtime launch)");
  if (options.nproc < 1)
    return launchError(
        "--nproc must be at least 1, got " + std::to_string(options.nproc),
        "start one process per device: rlg launch --nproc 2 FILE.rlg plans "
        "FILE for 2 devices and runs it in 2 processes");
  if (run.file.empty() == run.schedule.empty())
    return launchError(run.file.empty() ? "give a program or --schedule"
                                        : "give a program or --schedule, "
                                          "not both",
                       "rlg launch --nproc N FILE.rlg plans for N devices and "
                       "runs; rlg launch --nproc N --schedule S.json runs a "
                       "schedule planned for N devices");
  if (!run.schedule.empty() && !options.cluster.empty())
    return launchError("--cluster plans a program, and " + run.schedule +
                           " is planned already",
                       "give the program instead of --schedule, or leave "
                       "out --cluster");
#ifndef RLG_HAVE_MLIR
  if (!run.file.empty())
    return launchError("this rlg was built without the compiler, so it "
                       "cannot plan " +
                           run.file,
                       "plan it where the compiler is built (rlg plan FILE "
                       "--cluster C.toml) and run rlg launch --schedule "
                       "S.json here");
#endif
  std::string out = run.out;
  if (out.empty())
    out = "runs/" +
          std::filesystem::path(run.file.empty() ? run.schedule : run.file)
              .stem()
              .string();
  std::string schedule = run.schedule;
  if (!schedule.empty()) {
    if (int code = checkSchedule(schedule, options.nproc))
      return code;
  }
  if (!createRunFolder(out))
    return kExitUserError;
#ifdef RLG_HAVE_MLIR
  if (!run.file.empty())
    if (int code = planProgram(options, out, schedule))
      return code;
#endif
  std::vector<std::string> args = {
      run.runtime,  "launch", "--nproc", std::to_string(options.nproc),
      "--schedule", schedule, "--out",   out};
  if (options.masterPort > 0)
    args.insert(args.end(),
                {"--master-port", std::to_string(options.masterPort)});
  for (std::string &arg : runtimeRunArguments(run))
    args.push_back(std::move(arg));
  return execRuntime("launch", std::move(args));
}

} // namespace rlg::driver
