// The rlg driver: one binary with a subcommand per phase.
#include "Commands.h"

#include <CLI/CLI.hpp>
#include <exception>
#include <iostream>

#ifdef RLG_HAVE_MLIR
#include "rlg/Compiler/CompilerContext.h"
#endif
#include <array>
#include <cstdio>
#include <filesystem>
#include <memory>

using namespace rlg::driver;

namespace {

/// `rlg-runtime` beside this binary, or "" when the runtime was not built.
std::string runtimePath(const char *argv0) {
  std::error_code ec;
  std::filesystem::path self = std::filesystem::canonical("/proc/self/exe", ec);
  if (ec)
    self = std::filesystem::absolute(argv0, ec);
  std::filesystem::path runtime = self.parent_path() / "rlg-runtime";
  return std::filesystem::exists(runtime, ec) ? runtime.string() : "";
}

/// The first line `command` prints, or "" when it fails.
std::string firstLineOf(const std::string &command) {
  std::unique_ptr<FILE, int (*)(FILE *)> pipe(popen(command.c_str(), "r"),
                                              pclose);
  if (!pipe)
    return "";
  std::array<char, 256> buffer{};
  if (!fgets(buffer.data(), buffer.size(), pipe.get()))
    return "";
  std::string line = buffer.data();
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r'))
    line.pop_back();
  return line;
}

void printVersion(const char *argv0) {
  std::cout << "rlg 0.1.0\n";
#ifdef RLG_HAVE_MLIR
  std::cout << "  compiler: " << rlg::compiler::mlirVersionString() << '\n';
#else
  std::cout << "  compiler: not built (configured without MLIR)\n";
#endif
  std::string runtime = runtimePath(argv0);
  std::string info =
      runtime.empty() ? "" : firstLineOf("'" + runtime + "' --version");
  if (runtime.empty())
    std::cout << "  runtime: not built (configured without LibTorch)\n";
  else
    std::cout << "  runtime: "
              << (info.empty() ? "rlg-runtime does not start" : info) << '\n';
}

} // namespace

int main(int argc, char **argv) {
  CLI::App app{
      "rlg: a dataflow-graph language and compiler for RL pipelines that "
      "train language models"};
  app.require_subcommand(0, 1);
  bool version = false;
  app.add_flag("--version", version, "Print the version and the halves built");

  CheckOptions check;
  CLI::App *checkCmd =
      app.add_subcommand("check", "Parse and check .rlg programs");
  checkCmd->add_option("files", check.files, "Programs to check")->required();
  checkCmd->add_option(
      "--param", check.params,
      "Set a program parameter (param NAME = ...); repeatable");
  checkCmd->add_flag("--dump-ast", check.dumpAst, "Print the checked AST");
  checkCmd->add_flag("--summary", check.summary,
                     "Print each program's models, nodes and edges");
  checkCmd->add_flag("--Werror", check.warningsAsErrors,
                     "Treat warnings as errors");
  checkCmd->add_option("--color", check.color, "Colour diagnostics")
      ->check(CLI::IsMember({"auto", "always", "never"}));

  ValidateOptions validate;
  CLI::App *validateCmd = app.add_subcommand(
      "validate", "Check schedule files against the schedule format");
  validateCmd->add_option("files", validate.files, "Schedules to validate")
      ->required();

  CalibrateOptions calibrateOptions;
  CLI::App *calibrateCmd = app.add_subcommand(
      "calibrate", "Fit the cost model's efficiencies to measured times (a "
                   "profile file or a run folder) and report its error");
  calibrateCmd
      ->add_option("input", calibrateOptions.input,
                   "A calibration profile (.toml) or a run folder (rlg run "
                   "--out DIR)")
      ->required();
  calibrateCmd->add_option("--device", calibrateOptions.device,
                           "Device profile the measurements ran on");
  calibrateCmd->add_option("-o,--output", calibrateOptions.output,
                           "Write the calibration file (rlg plan "
                           "--calibration reads it)");
  calibrateCmd->add_option(
      "--calibration", calibrateOptions.calibration,
      "Start from this calibration file's constants instead of the defaults "
      "(its error on these measurements is the 'before' column)");

#ifdef RLG_HAVE_MLIR
  CompileOptions compile;
  CLI::App *compileCmd = app.add_subcommand(
      "compile", "Compile a program: check, lower to MLIR, plan, export the "
                 "schedule");
  compileCmd->add_option("file", compile.file, "The .rlg program")->required();
  compileCmd->add_option(
      "--param", compile.params,
      "Set a program parameter (param NAME = ...); repeatable");
  compileCmd
      ->add_option("--emit", compile.emit,
                   "Stop after a phase: ast, lowered, mlir, planned, schedule")
      ->check(CLI::IsMember({"ast", "lowered", "mlir", "planned", "schedule"}))
      ->capture_default_str();
  compileCmd
      ->add_option("-o,--output", compile.output,
                   "Output file (- for standard output)")
      ->capture_default_str();
  compileCmd->add_option("--strategy", compile.strategy, "Placement strategy")
      ->capture_default_str();
  compileCmd
      ->add_option("--device-kind", compile.deviceKind,
                   "Devices to plan for: cpu or cuda")
      ->check(CLI::IsMember({"cpu", "cuda"}))
      ->capture_default_str();
  compileCmd->add_flag("--locations", compile.locations,
                       "Print the IR with its .rlg source locations");
  compileCmd->add_option("--color", compile.color, "Colour diagnostics")
      ->check(CLI::IsMember({"auto", "always", "never"}));

  PlanOptions plan;
  CLI::App *planCmd = app.add_subcommand(
      "plan", "Plan a program for a cluster: the schedule with predictions, "
              "the report, timeline, graph and charts");
  planCmd->add_option("file", plan.file, "The .rlg program")->required();
  planCmd->add_option("--param", plan.params,
                      "Set a program parameter (param NAME = ...); repeatable");
  planCmd->add_option("--cluster", plan.cluster, "The cluster file (.toml)")
      ->required();
  planCmd->add_option("--strategy", plan.strategy, "The planner's strategy")
      ->capture_default_str();
  planCmd->add_option("--out", plan.out,
                      "Output folder (default plans/<program>)");
  planCmd
      ->add_option("--set", plan.settings,
                   "Sizes to plan for: prompts=N, samples=N, "
                   "prompt_tokens=N, response_tokens=N, iterations=N, "
                   "MODEL.model=PRESET")
      ->allow_extra_args(false);
  planCmd->add_option("--calibration", plan.calibration,
                      "A calibration file (rlg calibrate -o)");
  planCmd->add_flag("--allow-pipeline", plan.allowPipeline,
                    "Let layouts have pipeline stages (pp > 1), for sizing "
                    "only: the runtime does not run pipeline stages yet");
  planCmd->add_option("--color", plan.color, "Colour diagnostics")
      ->check(CLI::IsMember({"auto", "always", "never"}));

  CompareOptions compare;
  CLI::App *compareCmd = app.add_subcommand(
      "compare", "Plan a program for a cluster with several strategies and "
                 "compare them");
  compareCmd->add_option("file", compare.file, "The .rlg program")->required();
  compareCmd->add_option(
      "--param", compare.params,
      "Set a program parameter (param NAME = ...); repeatable");
  compareCmd->add_option("--cluster", compare.cluster, "The cluster file")
      ->required();
  compareCmd
      ->add_option("--strategies", compare.strategies,
                   "Strategies to compare, comma-separated")
      ->delimiter(',')
      ->required();
  compareCmd->add_option("--set", compare.settings, "Sizes to plan for")
      ->allow_extra_args(false);
  compareCmd->add_option("--calibration", compare.calibration,
                         "A calibration file (rlg calibrate -o)");
  compareCmd->add_flag("--allow-pipeline", compare.allowPipeline,
                       "Let layouts have pipeline stages (pp > 1), for "
                       "sizing only: the runtime does not run pipeline "
                       "stages yet");
  compareCmd->add_option("--color", compare.color, "Colour diagnostics")
      ->check(CLI::IsMember({"auto", "always", "never"}));

#endif

  RunOptions runOptions;
  CLI::App *runCmd = app.add_subcommand(
      "run", "Train a program (compiled first) or a compiled schedule with "
             "rlg-runtime");
  runCmd->add_option("file", runOptions.file,
                     "The .rlg program (needs the compiler half)");
  runCmd->add_option("--param", runOptions.params,
                     "Set a program parameter (param NAME = ...); repeatable");
  runCmd->add_option("--schedule", runOptions.schedule,
                     "A schedule compiled before (rlg compile -o S.json)");
  runCmd->add_option("--out", runOptions.out,
                     "Run folder: schedule.json, metrics.jsonl (default "
                     "runs/<program>)");
  runCmd->add_option("--steps", runOptions.steps,
                     "Stop after this many steps (all stages together)");
  runCmd->add_option("--device", runOptions.device,
                     "rlg-runtime's device: auto (default), cpu, cuda or "
                     "cuda:N");
  runCmd->add_option("--precision", runOptions.precision,
                     "rlg-runtime's precision: auto (default), fp32 or bf16");
  runCmd->add_option("--resume", runOptions.resume,
                     "Continue a run: latest, or a checkpoint's path");
  runCmd->add_option("--checkpoint-every", runOptions.checkpointEvery,
                     "Save a checkpoint every N steps");
  runCmd->add_flag("--quiet", runOptions.quiet, "No per-step lines");

  InspectOptions inspect;
  CLI::App *inspectCmd = app.add_subcommand(
      "inspect", "List a checkpoint's tensors (dtype, shape) and its config "
                 "(with rlg-runtime)");
  inspectCmd
      ->add_option("path", inspect.path,
                   "A Hugging Face checkpoint folder, a .safetensors file or "
                   "a model.safetensors.index.json")
      ->required();
  inspectCmd->add_flag("--json", inspect.json, "Print JSON for scripts");

  LaunchOptions launch;
  CLI::App *launchCmd = app.add_subcommand(
      "launch", "Train a program (planned first for N devices) or a planned "
                "schedule in N processes on this machine, one per device");
  launchCmd->add_option("--nproc", launch.nproc, "Processes, one per device")
      ->required();
  launchCmd->add_option("file", launch.run.file,
                        "The .rlg program (needs the compiler half)");
  launchCmd->add_option(
      "--param", launch.run.params,
      "Set a program parameter (param NAME = ...); repeatable");
  launchCmd->add_option("--schedule", launch.run.schedule,
                        "A schedule planned for N devices (rlg plan)");
  launchCmd->add_option("--cluster", launch.cluster,
                        "The cluster to plan for, of N devices (default: "
                        "one node of N CPU devices with 16 GiB each)");
  launchCmd->add_option("--out", launch.run.out,
                        "Run folder: schedule.json, metrics.jsonl (default "
                        "runs/<program>)");
  launchCmd->add_option("--steps", launch.run.steps,
                        "Stop after this many steps (all stages together)");
  launchCmd
      ->add_option("--device", launch.run.device,
                   "rlg-runtime's device kind: auto (default), cpu or cuda")
      ->check(CLI::IsMember({"auto", "cpu", "cuda"}));
  launchCmd->add_option("--precision", launch.run.precision,
                        "rlg-runtime's precision: auto (default), fp32 or "
                        "bf16");
  launchCmd->add_option("--resume", launch.run.resume,
                        "Continue a run: latest, or a checkpoint's path");
  launchCmd->add_option("--checkpoint-every", launch.run.checkpointEvery,
                        "Save a checkpoint every N steps");
  launchCmd->add_flag("--quiet", launch.run.quiet, "No per-step lines");
  launchCmd
      ->add_option("--master-port", launch.masterPort,
                   "MASTER_PORT of the ranks (default: $MASTER_PORT, else a "
                   "free port)")
      ->check(CLI::Range(1, 65535));

  TokenizeOptions tokenize;
  CLI::App *tokenizeCmd = app.add_subcommand(
      "tokenize", "Encode lines of standard input to token ids with a "
                  "Hugging Face tokenizer.json (or decode lines of ids)");
  tokenizeCmd
      ->add_option("--tokenizer", tokenize.tokenizer,
                   "A tokenizer.json, or a model folder holding one")
      ->required();
  tokenizeCmd->add_flag("--decode", tokenize.decode,
                        "Read lines of space-separated ids, print their text");
  tokenizeCmd->add_flag("--no-special", tokenize.noSpecial,
                        "Encode without the special tokens the tokenizer "
                        "adds (a leading BOS)");
  tokenizeCmd->add_flag("--skip-special", tokenize.skipSpecial,
                        "Decode without special tokens");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError &e) {
    int code = app.exit(e);
    return code == 0 ? kExitOk : kExitUserError;
  }
  try {
    if (version) {
      printVersion(argv[0]);
      return kExitOk;
    }
    if (checkCmd->parsed())
      return runCheck(check);
    if (validateCmd->parsed())
      return runValidate(validate);
    if (calibrateCmd->parsed())
      return runCalibrate(calibrateOptions);
#ifdef RLG_HAVE_MLIR
    if (compileCmd->parsed())
      return runCompile(compile);
    if (planCmd->parsed())
      return runPlan(plan);
    if (compareCmd->parsed())
      return runCompare(compare);
#endif
    if (runCmd->parsed()) {
      runOptions.runtime = runtimePath(argv[0]);
      return runRun(runOptions);
    }
    if (launchCmd->parsed()) {
      launch.run.runtime = runtimePath(argv[0]);
      return runLaunch(launch);
    }
    if (inspectCmd->parsed()) {
      inspect.runtime = runtimePath(argv[0]);
      return runInspect(inspect);
    }
    if (tokenizeCmd->parsed())
      return runTokenize(tokenize);
    std::cout << app.help();
    return kExitOk;
  } catch (const std::exception &e) {
    std::cerr << "rlg: internal error: " << e.what() << '\n';
    return kExitInternalError;
  } catch (...) {
    std::cerr << "rlg: internal error\n";
    return kExitInternalError;
  }
}
