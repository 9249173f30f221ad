// Capturing and restoring random number generators, for exact resumes.
#pragma once

#include <random>
#include <string>
#include <vector>

namespace rlg::runtime {

/// Torch's default generators' states as raw bytes: the CPU generator and,
/// when CUDA is available, one per CUDA device (index order).
struct TorchRngState {
  std::string cpu;
  std::vector<std::string> cuda;
};

/// The current states of torch's default generators.
TorchRngState captureTorchRng();

/// Sets torch's default generators back to `state`. CUDA states are set for
/// the devices both the state and this process have; a state captured
/// without CUDA leaves the CUDA generators alone. Throws std::invalid_argument
/// when a state has the wrong size for this LibTorch.
void restoreTorchRng(const TorchRngState &state);

/// A std::mt19937_64's state as text (the standard's operator<< form).
std::string mt19937State(const std::mt19937_64 &engine);

/// Sets `engine` to a state mt19937State wrote. Throws std::invalid_argument
/// when `text` is not one; `engine` is then unchanged.
void restoreMt19937State(std::mt19937_64 &engine, const std::string &text);

} // namespace rlg::runtime
