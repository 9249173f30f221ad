// rlg-runtime: the executable half that runs on LibTorch; `rlg` hands it work.
#include "rlg/Runtime/RuntimeInfo.h"

#include <CLI/CLI.hpp>
#include <exception>
#include <iostream>

int main(int argc, char **argv) {
  CLI::App app{"rlg-runtime: executes rlg schedules with LibTorch"};
  bool version = false, selfTest = false;
  app.add_flag("--version", version,
               "Print the LibTorch version and the devices");
  app.add_flag("--self-test", selfTest, "Run a small tensor computation");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError &e) {
    return app.exit(e) == 0 ? 0 : 1;
  }
  try {
    if (version) {
      rlg::runtime::RuntimeInfo info = rlg::runtime::queryRuntimeInfo();
      std::cout << "LibTorch " << info.torchVersion << ", CUDA "
                << (info.cudaAvailable
                        ? std::to_string(info.cudaDevices) + " device(s)"
                        : std::string("not available"))
                << '\n';
    }
    if (selfTest) {
      double sum = rlg::runtime::runtimeSelfTest();
      std::cout << "self-test: sum = " << sum
                << (sum == 30.0 ? " (ok)" : " (WRONG)") << '\n';
      return sum == 30.0 ? 0 : 2;
    }
    if (!version)
      std::cout << app.help();
    return 0;
  } catch (const std::exception &e) {
    std::cerr << "rlg-runtime: internal error: " << e.what() << '\n';
    return 2;
  }
}
