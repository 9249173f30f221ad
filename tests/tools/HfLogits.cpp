// rlg-hf-logits MODEL_DIR --ids "1 2 3" [--ids ...] --out FILE: a Hugging
// Face policy's logits on token ids, for comparing with transformers.
#include "rlg/Runtime/Checkpoint/Safetensors.h"
#include "rlg/Runtime/Distributed/ShardedWeights.h"
#include "rlg/Runtime/Model/HfCheckpoint.h"

#include <torch/cuda.h>
#include <torch/utils.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using namespace rlg::runtime;

namespace {

const char *kUsage =
    "usage: rlg-hf-logits MODEL_DIR --ids \"1 2 3 ...\" [--ids ...] --out "
    "logits.safetensors\n"
    "         [--device cpu|cuda] [--precision fp32|bf16]\n"
    "         [--save-to DIR [--save-dtype bf16|f16|f32] "
    "[--max-shard-bytes N]]\n"
    "Loads a Hugging Face Llama/Qwen2 causal LM, runs it on the id rows\n"
    "(all of the same length, no padding) and writes their logits [B, T, V]\n"
    "(float32, tensor \"logits\", with \"input_ids\") to --out. --save-to\n"
    "saves the loaded model back as a Hugging Face folder (tokenizer files\n"
    "copied).\n";

struct Options {
  fs::path model;
  std::vector<std::vector<int64_t>> rows;
  fs::path out;
  std::string device = "cpu";
  std::string precision = "fp32";
  fs::path saveTo;
  std::string saveDtype = "bf16";
  int64_t maxShardBytes = kDefaultHfShardBytes;
};

struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

std::vector<int64_t> parseIds(const std::string &text) {
  std::istringstream in(text);
  std::vector<int64_t> ids;
  std::string word;
  while (in >> word) {
    size_t used = 0;
    long long id = 0;
    try {
      id = std::stoll(word, &used);
    } catch (const std::exception &) {
      used = 0;
    }
    if (used != word.size() || id < 0)
      throw UsageError("--ids \"" + text + "\": '" + word +
                       "' is not a token id");
    ids.push_back(id);
  }
  if (ids.empty())
    throw UsageError("--ids needs at least one token id");
  return ids;
}

Options parseOptions(int argc, char **argv) {
  Options options;
  std::vector<std::string> args(argv + 1, argv + argc);
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string &arg = args[i];
    auto value = [&]() -> const std::string & {
      if (i + 1 >= args.size())
        throw UsageError(arg + " needs a value");
      return args[++i];
    };
    if (arg == "--ids")
      options.rows.push_back(parseIds(value()));
    else if (arg == "--out")
      options.out = value();
    else if (arg == "--device")
      options.device = value();
    else if (arg == "--precision")
      options.precision = value();
    else if (arg == "--save-to")
      options.saveTo = value();
    else if (arg == "--save-dtype")
      options.saveDtype = value();
    else if (arg == "--max-shard-bytes")
      options.maxShardBytes = std::atoll(value().c_str());
    else if (arg == "-h" || arg == "--help")
      throw UsageError("");
    else if (!arg.empty() && arg[0] == '-')
      throw UsageError("unknown option " + arg);
    else if (options.model.empty())
      options.model = arg;
    else
      throw UsageError("unexpected argument " + arg);
  }
  if (options.model.empty())
    throw UsageError("give the model folder");
  if (options.rows.empty())
    throw UsageError("give at least one --ids row");
  if (options.out.empty())
    throw UsageError("give --out");
  for (const auto &row : options.rows)
    if (row.size() != options.rows.front().size())
      throw UsageError("every --ids row must have the same length (" +
                       std::to_string(options.rows.front().size()) +
                       "), got one of " + std::to_string(row.size()));
  if (options.device != "cpu" && options.device != "cuda")
    throw UsageError("--device must be cpu or cuda, got " + options.device);
  if (options.maxShardBytes < 1)
    throw UsageError("--max-shard-bytes must be >= 1");
  return options;
}

at::ScalarType saveDtype(const std::string &name) {
  if (name == "bf16" || name == "bfloat16")
    return at::kBFloat16;
  if (name == "f16" || name == "fp16" || name == "float16")
    return at::kHalf;
  if (name == "f32" || name == "fp32" || name == "float32")
    return at::kFloat;
  throw UsageError("--save-dtype must be bf16, f16 or f32, got " + name);
}

/// The files beside the weights that a saved copy should keep.
std::vector<fs::path> tokenizerFiles(const fs::path &dir) {
  std::vector<fs::path> files;
  for (const char *name :
       {"tokenizer.json", "tokenizer_config.json", "special_tokens_map.json",
        "vocab.json", "merges.txt", "tokenizer.model", "chat_template.jinja"})
    if (fs::is_regular_file(dir / name))
      files.push_back(dir / name);
  return files;
}

int run(const Options &options) {
  Precision precision = parsePrecision(options.precision);
  if (options.device == "cuda" && !torch::cuda::is_available())
    throw std::runtime_error("--device cuda: this LibTorch sees no CUDA "
                             "device");
  if (precision == Precision::Bf16 && options.device != "cuda")
    throw std::runtime_error("--precision bf16 needs --device cuda (autocast "
                             "acts on CUDA tensors only)");
  at::ScalarType dtype = saveDtype(options.saveDtype);

  HfModel loaded = loadHfModel(options.model);
  if (loaded.role != ModelRole::Policy)
    throw std::runtime_error(options.model.string() + " is a " +
                             loaded.config.architecture +
                             " checkpoint; rlg-hf-logits needs a causal LM "
                             "(*ForCausalLM)");
  at::Device device(options.device == "cuda" ? at::kCUDA : at::kCPU);
  loaded.model->to(device);
  loaded.model->setPrecision(precision);

  int64_t batch = static_cast<int64_t>(options.rows.size());
  int64_t length = static_cast<int64_t>(options.rows.front().size());
  std::vector<int64_t> flat;
  for (const auto &row : options.rows)
    for (int64_t id : row) {
      if (id >= loaded.spec.vocab)
        throw std::runtime_error("token id " + std::to_string(id) +
                                 " is outside the vocabulary of " +
                                 std::to_string(loaded.spec.vocab));
      flat.push_back(id);
    }
  at::Tensor ids = at::tensor(flat, at::kLong).view({batch, length});
  at::Tensor logits;
  {
    torch::NoGradGuard noGrad;
    at::Tensor onDevice = ids.to(device);
    logits = loaded.model->forward(onDevice, at::ones_like(onDevice))
                 .to(at::kFloat)
                 .to(at::kCPU);
  }
  writeSafetensors(options.out, {{"logits", logits}, {"input_ids", ids}});
  std::cout << "rlg-hf-logits: " << loaded.config.architecture << " ("
            << loaded.spec.layers << " layers, hidden " << loaded.spec.hidden
            << ", rope "
            << rlg::ropeScalingTypeName(loaded.spec.ropeScaling.type) << ") on "
            << options.device << " in " << options.precision << ": logits ["
            << batch << ", " << length << ", " << logits.size(2) << "] -> "
            << options.out.string() << "\n";

  if (!options.saveTo.empty()) {
    saveHfCheckpoint(options.saveTo, loaded.config,
                     gatherFullWeights(*loaded.model), dtype,
                     options.maxShardBytes, tokenizerFiles(options.model));
    std::cout << "rlg-hf-logits: saved " << options.saveDtype << " to "
              << options.saveTo.string() << "\n";
  }
  return 0;
}

} // namespace

int main(int argc, char **argv) {
  try {
    return run(parseOptions(argc, argv));
  } catch (const UsageError &e) {
    if (*e.what())
      std::cerr << "rlg-hf-logits: " << e.what() << "\n";
    std::cerr << kUsage;
    return 1;
  } catch (const std::exception &e) {
    std::cerr << "rlg-hf-logits: " << e.what() << "\n";
    return 1;
  }
}
