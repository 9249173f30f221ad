// One rank of the tensor-parallel tests: joins the group from the torchrun
// environment, runs a case split over it and writes the results.
//
// Usage: rlg_tensor_parallel_worker SCENARIO SPECS OUT_DIR
// writes OUT_DIR/rank-N.pt (TensorParallelCases.h).
#include "TensorParallelCases.h"

#include "rlg/Runtime/Distributed/ProcessGroups.h"
#include "rlg/Runtime/Model/Model.h"

#include <ATen/Parallel.h>

#include <iostream>
#include <stdexcept>

using namespace rlg::runtime;
using namespace rlg::runtime::testing;

namespace {

/// A split that cannot be made must be refused before any collective.
void expectSplitRefused(ModelSpec spec, const TensorParallel &tp,
                        const std::string &what) {
  try {
    Model model(spec, ModelRole::Policy, 0, tp);
  } catch (const std::invalid_argument &) {
    return;
  }
  throw std::runtime_error("a model whose " + what +
                           " does not divide by the tensor-parallel size " +
                           std::to_string(tp.size()) + " was built");
}

} // namespace

int main(int argc, char **argv) {
  if (argc != 4) {
    std::cerr << "usage: " << argv[0] << " SCENARIO SPECS OUT_DIR\n";
    return 2;
  }
  std::string scenario = argv[1], specs = argv[2], outDir = argv[3];
  // Several ranks share few cores.
  at::set_num_threads(1);
  try {
    DistributedEnv env = DistributedEnv::fromEnvironment();
    auto groups = ProcessGroups::connect(env, torch::Device(torch::kCPU),
                                         std::chrono::seconds(60));
    TensorParallel tp{&groups->world()};

    ModelSpec spec = twoWaySpec(false);
    spec.vocab = tp.size() * 16 + 1;
    expectSplitRefused(spec, tp, "vocab");
    spec = twoWaySpec(false);
    spec.ffn = tp.size() * 40 + 1;
    expectSplitRefused(spec, tp, "ffn");

    CaseResults results = runTensorParallelCase(scenario, specs, tp);
    saveCaseResults(results,
                    outDir + "/rank-" + std::to_string(env.rank) + ".pt");
    // No rank leaves while another may still need it.
    groups->world().barrier();
  } catch (const std::exception &e) {
    std::cerr << "tensor-parallel worker: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
