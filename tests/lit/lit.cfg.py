# lit configuration for rlg's text tests (diagnostics, AST dumps, summaries).
import os

import lit.formats

config.name = "rlg"
config.test_format = lit.formats.ShTest(execute_external=True)
config.suffixes = [".rlg", ".test", ".mlir"]
config.excludes = ["Inputs"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.rlg_obj_root, "tests", "lit")

config.substitutions.append(("%rlg", config.rlg_bin))
config.substitutions.append(("%programs", os.path.join(config.rlg_src_root, "programs")))
# rlg-opt comes from the build; FileCheck and not from LLVM.
config.environment["PATH"] = os.pathsep.join(
    [os.path.dirname(config.rlg_bin), config.llvm_tools_dir,
     config.environment.get("PATH", os.environ.get("PATH", ""))])

# The dialect, pass and compile tests need the compiler half.
if not os.path.exists(os.path.join(os.path.dirname(config.rlg_bin), "rlg-opt")):
    config.excludes.extend(["dialect", "passes", "compile", "runtime", "plan"])
# The runtime tests run schedules with rlg-runtime (the LibTorch half).
if not os.path.exists(os.path.join(os.path.dirname(config.rlg_bin), "rlg-runtime")):
    config.excludes.append("runtime")
# Features for REQUIRES/UNSUPPORTED: which halves were built, and whether
# rlg-runtime sees CUDA (tests of the CPU-only errors need a machine without).
bin_dir = os.path.dirname(config.rlg_bin)
if os.path.exists(os.path.join(bin_dir, "rlg-opt")):
    config.available_features.add("compiler")
runtime = os.path.join(bin_dir, "rlg-runtime")
if os.path.exists(runtime):
    import subprocess
    config.available_features.add("rlg-runtime")
    try:
        version = subprocess.run([runtime, "--version"], capture_output=True,
                                 text=True, timeout=120).stdout
        if "CUDA not available" not in version:
            config.available_features.add("cuda")
    except (OSError, subprocess.SubprocessError):
        pass
config.environment["NO_COLOR"] = "1"
