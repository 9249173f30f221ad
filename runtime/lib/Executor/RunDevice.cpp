// Choosing a run's device and precision from --device and --precision.
#include "rlg/Runtime/Executor/RunDevice.h"

#include <torch/cuda.h>

#include <cctype>

namespace rlg::runtime {

namespace {

const char *kDeviceForms = "use --device auto, cpu, cuda or cuda:N";

/// N of "cuda:N", or -1 when the text after "cuda" is not ":" and digits.
int64_t cudaIndex(const std::string &name) {
  std::string rest = name.substr(4);
  if (rest.size() < 2 || rest.size() > 4 || rest[0] != ':')
    return -1;
  for (size_t i = 1; i < rest.size(); ++i)
    if (!std::isdigit(static_cast<unsigned char>(rest[i])))
      return -1;
  return std::stoll(rest.substr(1));
}

} // namespace

torch::Device resolveRunDevice(const std::string &name) {
  if (name == "cpu")
    return torch::Device(torch::kCPU);
  bool available = torch::cuda::is_available();
  if (name == "auto")
    return available ? torch::Device(torch::kCUDA, 0)
                     : torch::Device(torch::kCPU);
  if (name.rfind("cuda", 0) != 0)
    throw RunError("unknown device '" + name + "'", kDeviceForms);
  int64_t index = name == "cuda" ? 0 : cudaIndex(name);
  if (index < 0)
    throw RunError("unknown device '" + name + "'", kDeviceForms);
  if (!available)
    throw RunError("--device " + name +
                       ": CUDA is not available (this LibTorch was built "
                       "without CUDA, or the machine has no usable GPU)",
                   "run on the CPU with --device cpu (or --device auto), or "
                   "build rlg-runtime against PyTorch's CUDA LibTorch on a GPU "
                   "machine (docs/bench.md shows how)");
  int64_t count = static_cast<int64_t>(torch::cuda::device_count());
  if (index >= count)
    throw RunError("--device " + name + ": this machine has " +
                       std::to_string(count) + " CUDA device" +
                       (count == 1 ? "" : "s"),
                   "use --device cuda:0" +
                       (count > 1 ? " .. cuda:" + std::to_string(count - 1)
                                  : std::string()));
  return torch::Device(torch::kCUDA, static_cast<c10::DeviceIndex>(index));
}

Precision resolveRunPrecision(const std::string &name,
                              const torch::Device &device) {
  if (name == "auto")
    return device.is_cuda() ? Precision::Bf16 : Precision::Fp32;
  if (name != "fp32" && name != "bf16")
    throw RunError("unknown precision '" + name + "'",
                   "use --precision auto, fp32 or bf16");
  Precision precision = parsePrecision(name);
  if (precision == Precision::Bf16 && !device.is_cuda())
    throw RunError("--precision bf16 needs a CUDA device; this run is on " +
                       device.str(),
                   "bf16 is CUDA autocast, which leaves CPU tensors in "
                   "float32: use --precision fp32 (or auto) on the CPU");
  return precision;
}

void checkRunPrecision(const RunOptions &options) {
  resolveRunPrecision(precisionName(options.precision), options.device);
}

} // namespace rlg::runtime
