// A step value as tensors and a small JSON record, to send between ranks.
#include "rlg/Runtime/Executor/ValueCodec.h"
#include "rlg/Runtime/Executor/StepOps.h"

namespace rlg::runtime {

namespace {

using nlohmann::json;

const char *shapeName(Scores::Shape shape) {
  return shape == Scores::Shape::Token  ? "token"
         : shape == Scores::Shape::Pair ? "pair"
                                        : "sequence";
}

Scores::Shape parseShape(const std::string &name) {
  return name == "token"  ? Scores::Shape::Token
         : name == "pair" ? Scores::Shape::Pair
                          : Scores::Shape::Sequence;
}

json batchRecord(const ExampleBatch &batch) {
  return {{"type", "examples"},
          {"kind", batch.kind},
          {"data", batch.data},
          {"ids", batch.exampleIds}};
}

void addSequences(EncodedValue &out, const Sequences &seqs) {
  out.record["response_length"] = seqs.responseLength;
  out.record["temperature"] = seqs.temperature;
  out.tensors.push_back(seqs.inputIds);
  out.tensors.push_back(seqs.attentionMask);
  out.tensors.push_back(seqs.responseMask);
}

void addRollouts(EncodedValue &out, const Rollouts &r) {
  out.record["prompts"] = r.prompts;
  out.record["samples"] = r.samples;
  out.record["answers"] = r.answers;
  addSequences(out, *r.sequences);
  out.tensors.push_back(r.responseLengths);
  out.tensors.push_back(r.samplingLogProbs);
  out.rows = r.sequences->rows();
}

std::shared_ptr<Sequences> takeSequences(const EncodedValue &in, size_t &next,
                                         const torch::Device &device) {
  auto seqs = std::make_shared<Sequences>();
  seqs->responseLength = in.record.at("response_length").get<int64_t>();
  seqs->temperature = in.record.at("temperature").get<double>();
  seqs->inputIds = in.tensors.at(next++).to(device);
  seqs->attentionMask = in.tensors.at(next++).to(device);
  seqs->responseMask = in.tensors.at(next++).to(device);
  return seqs;
}

std::shared_ptr<Rollouts> takeRollouts(RunContext &run, const EncodedValue &in,
                                       size_t &next) {
  auto r = std::make_shared<Rollouts>();
  r->sequences = takeSequences(in, next, run.options.device);
  r->responseLengths = in.tensors.at(next++).to(run.options.device);
  r->samplingLogProbs = in.tensors.at(next++).to(run.options.device);
  r->answers = in.record.at("answers").get<std::vector<std::string>>();
  r->samples = in.record.at("samples").get<int64_t>();
  int64_t rows = r->sequences->rows();
  // A slice of rows holds whole groups when it starts and ends on one.
  r->prompts = r->samples > 0 ? rows / r->samples : rows;
  int64_t length = r->sequences->responseLength;
  int64_t promptLength = r->sequences->inputIds.size(1) - length;
  at::Tensor ids = r->sequences->inputIds.narrow(1, promptLength, length).cpu();
  at::Tensor lengths = r->sequences->responseMask.sum(1).to(at::kLong).cpu();
  for (int64_t row = 0; row < rows; ++row) {
    std::vector<int64_t> response;
    for (int64_t j = 0; j < lengths[row].item<int64_t>(); ++j)
      response.push_back(ids[row][j].item<int64_t>());
    r->responseTexts.push_back(run.tokenizer.decode(response));
    r->responseIds.push_back(std::move(response));
  }
  return r;
}

} // namespace

EncodedValue encodeValue(const StepValue &value) {
  EncodedValue out;
  if (const auto *batch = std::get_if<std::shared_ptr<ExampleBatch>>(&value)) {
    out.record = batchRecord(**batch);
  } else if (const auto *r = std::get_if<std::shared_ptr<Rollouts>>(&value)) {
    out.record = {{"type", "rollouts"}};
    addRollouts(out, **r);
  } else {
    const Scores &scores = std::get<Scores>(value);
    out.record = {{"type", "scores"}, {"shape", shapeName(scores.shape)}};
    out.tensors.push_back(scores.values);
    if (scores.rollouts) {
      out.record["of"] = "rollouts";
      addRollouts(out, *scores.rollouts);
      if (scores.values.size(0) != out.rows)
        out.rows = 0; // not row-aligned: moves whole
    } else if (scores.batch) {
      out.record["of"] = "examples";
      out.record["batch"] = batchRecord(*scores.batch);
    } else if (scores.sequences) {
      out.record["of"] = "sequences";
      addSequences(out, *scores.sequences);
    }
  }
  return out;
}

EncodedValue sliceRows(const EncodedValue &value, int64_t begin, int64_t end) {
  EncodedValue out = value; // the record describes the whole value
  out.rows = end - begin;
  for (at::Tensor &t : out.tensors)
    t = t.narrow(0, begin, end - begin);
  return out;
}

StepValue decodeValue(RunContext &run, const EncodedValue &value) {
  const json &record = value.record;
  std::string type = record.at("type").get<std::string>();
  auto batchOf = [&](const json &r) {
    return examplesOf(run, r.at("data").get<std::string>(),
                      r.at("kind").get<std::string>() == "demos",
                      r.at("ids").get<std::vector<int64_t>>());
  };
  if (type == "examples")
    return batchOf(record);
  size_t next = 0;
  if (type == "rollouts")
    return takeRollouts(run, value, next);
  Scores scores;
  scores.shape = parseShape(record.at("shape").get<std::string>());
  scores.values = value.tensors.at(next++).to(run.options.device);
  std::string of = record.value("of", "");
  if (of == "rollouts") {
    scores.rollouts = takeRollouts(run, value, next);
    scores.sequences = scores.rollouts->sequences;
  } else if (of == "examples") {
    scores.batch = batchOf(record.at("batch"));
    scores.sequences = scores.batch->sequences;
  } else if (of == "sequences") {
    scores.sequences = takeSequences(value, next, run.options.device);
  }
  return scores;
}

} // namespace rlg::runtime
