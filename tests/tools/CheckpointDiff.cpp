// rlg-checkpoint-diff A B: the largest difference between the model weights
// of two checkpoints (for comparing runs in different layouts).
#include "rlg/Runtime/Checkpoint/Checkpoint.h"

#include <torch/serialize/input-archive.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <string>

namespace fs = std::filesystem;

int main(int argc, char **argv) {
  if (argc < 3) {
    std::cerr << "usage: rlg-checkpoint-diff A B [--atol X]\n";
    return 2;
  }
  double atol =
      argc >= 5 && std::string(argv[3]) == "--atol" ? std::atof(argv[4]) : 1e-5;
  try {
    fs::path a = rlg::runtime::resolveCheckpoint(argv[1]),
             b = rlg::runtime::resolveCheckpoint(argv[2]);
    bool ok = true;
    for (const auto &entry : fs::directory_iterator(a)) {
      std::string file = entry.path().filename().string();
      if (file.rfind("model-", 0) != 0)
        continue;
      torch::serialize::InputArchive left, right;
      left.load_from(entry.path().string());
      right.load_from((b / file).string());
      double worst = 0;
      int64_t tensors = 0;
      for (const std::string &key : left.keys()) {
        at::Tensor x, y;
        left.read(key, x);
        if (!right.try_read(key, y) || x.sizes() != y.sizes()) {
          std::cout << file << ": " << key << " missing or of another shape\n";
          ok = false;
          continue;
        }
        worst = std::max(worst, (x - y).abs().max().item<double>());
        ++tensors;
      }
      std::cout << file << ": " << tensors << " tensors, max |difference| "
                << worst << (worst <= atol ? " (within " : " (OVER ") << atol
                << ")\n";
      ok &= worst <= atol;
    }
    return ok ? 0 : 1;
  } catch (const std::exception &e) {
    std::cerr << "rlg-checkpoint-diff: " << e.what() << '\n';
    return 2;
  }
}
