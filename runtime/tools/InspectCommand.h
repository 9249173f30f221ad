// `rlg-runtime inspect`: a checkpoint's tensors and config, listed.
#pragma once

#include <string>

namespace rlg::runtime {

struct InspectFlags {
  std::string path; // a checkpoint folder, a .safetensors file or an index
  bool json = false;
};

/// Lists the tensors (name, dtype, shape, shard) of a Hugging Face
/// checkpoint folder, a .safetensors file or a model.safetensors.index.json,
/// and the model a folder's config.json describes. Returns the exit code.
int inspectCommand(const InspectFlags &flags);

} // namespace rlg::runtime
