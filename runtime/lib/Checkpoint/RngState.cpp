// Torch's default generators and std::mt19937_64 as savable bytes and text.
#include "rlg/Runtime/Checkpoint/RngState.h"

#include "rlg/Runtime/TorchCompat.h"

#include <ATen/Context.h>
#include <torch/cuda.h>

#include <cstring>
#include <mutex>
#include <sstream>
#include <stdexcept>

namespace rlg::runtime {
namespace {

// Generator::get_state/set_state take a uint8 CPU tensor in 1.13 and 2.x;
// the generator's mutex guards it against concurrent draws.
std::string generatorState(const at::Generator &shared) {
  at::Generator gen = shared;
  at::Tensor state;
  {
    std::lock_guard<std::mutex> lock(gen.mutex());
    state = gen.get_state();
  }
  state = state.contiguous();
  return std::string(reinterpret_cast<const char *>(state.data_ptr<uint8_t>()),
                     static_cast<size_t>(state.numel()));
}

void setGeneratorState(const at::Generator &shared, const std::string &bytes,
                       const std::string &which) {
  at::Tensor state = at::empty({static_cast<int64_t>(bytes.size())}, at::kByte);
  if (!bytes.empty())
    std::memcpy(state.data_ptr<uint8_t>(), bytes.data(), bytes.size());
  at::Generator gen = shared;
  try {
    std::lock_guard<std::mutex> lock(gen.mutex());
    gen.set_state(state);
  } catch (const c10::Error &error) {
    throw std::invalid_argument("the " + which + " generator refuses a " +
                                std::to_string(bytes.size()) + "-byte state: " +
                                error.what_without_backtrace());
  }
}

} // namespace

TorchRngState captureTorchRng() {
  TorchRngState state;
  state.cpu = generatorState(at::globalContext().defaultGenerator(at::kCPU));
  if (torch::cuda::is_available()) {
    auto devices = static_cast<int64_t>(torch::cuda::device_count());
    for (int64_t i = 0; i < devices; ++i)
      state.cuda.push_back(generatorState(at::globalContext().defaultGenerator(
          at::Device(at::kCUDA, static_cast<c10::DeviceIndex>(i)))));
  }
  return state;
}

void restoreTorchRng(const TorchRngState &state) {
  setGeneratorState(at::globalContext().defaultGenerator(at::kCPU), state.cpu,
                    "CPU");
  if (state.cuda.empty() || !torch::cuda::is_available())
    return;
  auto devices = static_cast<size_t>(torch::cuda::device_count());
  for (size_t i = 0; i < devices && i < state.cuda.size(); ++i)
    setGeneratorState(at::globalContext().defaultGenerator(at::Device(
                          at::kCUDA, static_cast<c10::DeviceIndex>(i))),
                      state.cuda[i], "CUDA:" + std::to_string(i));
}

std::string mt19937State(const std::mt19937_64 &engine) {
  std::ostringstream out;
  out << engine;
  return out.str();
}

void restoreMt19937State(std::mt19937_64 &engine, const std::string &text) {
  std::istringstream in(text);
  std::mt19937_64 parsed;
  in >> parsed;
  if (in.fail())
    throw std::invalid_argument("not a std::mt19937_64 state");
  // Reading the last number may already have reached the end; else only
  // white space may follow.
  if (!in.eof() && !(in >> std::ws).eof())
    throw std::invalid_argument("not a std::mt19937_64 state");
  engine = parsed;
}

} // namespace rlg::runtime
