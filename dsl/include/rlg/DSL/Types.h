// The types of .rlg values, with their batch dimensions.
#pragma once

#include <cstdint>
#include <string>

namespace rlg::dsl {

enum class TypeKind {
  Error, // Already reported; suppresses follow-on errors.
  Int,
  Float,
  String,
  Bool,
  Model,       // A declared model; `role` tells which.
  Data,        // A declared data source; `dataKind` tells which.
  Reward,      // A declared reward.
  Prompts,     // [B]
  Pairs,       // [B] preference pairs
  Demos,       // [B] demonstrations
  Labeled,     // [B] labeled completions
  Rollouts,    // [B x n]
  TokenScores, // [B x n] or [B]
  SeqScores,   // [B x n] or [B]
  PairScores,  // [B]
  Advantages,  // [B x n]
  Loss,
};

/// The kind of records a data source yields.
enum class DataKind { Prompts, Preferences, Demonstrations, Labeled };

const char *dataKindName(DataKind kind);

struct Type {
  TypeKind kind = TypeKind::Error;
  int64_t batch = 0; // B; the upper bound when `dynamicBatch`.
  int64_t samples =
      0; // n for rollout-shaped values; 0 when the value has no n.
  bool dynamicBatch = false;
  std::string
      origin; // The batch value (rollouts, pairs...) it was computed on.
  std::string prompts;  // Rollouts and their scores: the prompts they answer.
  std::string model;    // Scores: the model that computed them.
  std::string producer; // Scores: logprob, value, reward, kl, returns...
  std::string role;     // Model: policy, value or reward.
  bool frozen = false;  // Model: a frozen copy.
  DataKind dataKind = DataKind::Prompts;
  bool hasAnswers = false; // Prompts/Rollouts/Data: exact answers are known.

  static Type error() { return {}; }
  static Type of(TypeKind kind) {
    Type t;
    t.kind = kind;
    return t;
  }
  bool isError() const { return kind == TypeKind::Error; }
  bool isNumber() const {
    return kind == TypeKind::Int || kind == TypeKind::Float;
  }
  bool isScores() const {
    return kind == TypeKind::TokenScores || kind == TypeKind::SeqScores ||
           kind == TypeKind::PairScores || kind == TypeKind::Advantages;
  }
  bool hasBatch() const { return batch > 0; }
  /// Sequences in the batch: B x n, or B when there is no n.
  int64_t sequences() const { return batch * (samples > 0 ? samples : 1); }
  /// "[32 x 8]", "[<=32 x 8]" or "[16]".
  std::string shape() const;
  /// "Rollouts[32 x 8]", "Model(policy)", "Float".
  std::string str() const;
};

const char *typeKindName(TypeKind kind);

} // namespace rlg::dsl
