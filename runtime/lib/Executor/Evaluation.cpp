// Held-out evaluation: accuracy, pass@k and mean reward of a policy's
// samples on prompts with exact answers.
#include "rlg/Runtime/Executor/Executor.h"

#include "rlg/Runtime/Data/Tasks.h"
#include "rlg/Runtime/Generation/Generate.h"
#include "rlg/Runtime/Metrics/ProgressBar.h"

#include <memory>

namespace rlg::runtime {

namespace {
/// The max_tokens of the schedule's first generate op, else 16.
int64_t defaultMaxTokens(const schedule::Schedule &s) {
  for (const schedule::Step &step : s.steps)
    for (const schedule::Op &op : step.ops)
      if (op.kind == schedule::OpKind::Generate)
        if (const auto *v = schedule::findAttr(op.attrs, "max_tokens"))
          return static_cast<int64_t>(v->asDouble());
  return 16;
}
} // namespace

EvalResult evaluate(RunContext &run, const schedule::EvalSetting &setting) {
  DataState &data = run.dataSource(setting.data);
  ModelState &policy = run.model(setting.model);
  GenerationConfig config;
  config.n = setting.k;
  config.maxTokens = setting.maxTokens > 0 ? setting.maxTokens
                                           : defaultMaxTokens(run.schedule);
  config.temperature = setting.temperature;
  config.greedy = setting.temperature == 0;
  config.eosId = run.tokenizer.eosId();
  config.padId = run.tokenizer.padId();
  config.seed = run.stepSeed("eval:" + setting.data);

  EvalResult result;
  result.step = run.globalStep;
  result.data = setting.data;
  int64_t correct = 0, samples = 0, solved = 0;
  const int64_t chunk = 128; // prompts per generate call
  std::unique_ptr<ProgressBar> bar;
  const int64_t total = data.size();
  if (!run.options.quiet)
    bar = std::make_unique<ProgressBar>(
        progressOptions("eval " + setting.data, total));
  for (int64_t begin = 0; begin < total; begin += chunk) {
    int64_t end = std::min(total, begin + chunk);
    std::vector<Example> examples = data.examples->range(begin, end);
    std::vector<std::vector<int64_t>> prompts;
    for (const Example &example : examples)
      prompts.push_back(run.tokenizer.encodePrompt(example.prompt));
    GenerationResult gen = generate(policy.model, prompts, config);
    for (size_t i = 0; i < examples.size(); ++i) {
      bool any = false;
      for (int64_t j = 0; j < config.n; ++j) {
        const auto &ids = gen.responses[i * config.n + j];
        bool ok = responseMatchesAnswer(run.tokenizer, ids, examples[i].answer);
        correct += ok;
        any |= ok;
        ++samples;
      }
      solved += any;
    }
    if (bar)
      bar->update(end);
  }
  if (bar)
    bar->finish();
  result.prompts = total;
  result.accuracy = samples ? static_cast<double>(correct) / samples : 0;
  result.passAtK =
      result.prompts ? static_cast<double>(solved) / result.prompts : 0;
  // The tasks' reward is exact match, so its mean is the accuracy.
  result.meanReward = result.accuracy;
  return result;
}

} // namespace rlg::runtime
