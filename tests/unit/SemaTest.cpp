// Tests semantic analysis: types, step graphs, models and located errors.
#include "rlg/DSL/Frontend.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>

using namespace rlg;
using namespace rlg::dsl;

namespace {

/// Runs the frontend on one in-memory buffer.
struct Checked {
  SourceManager sources;
  DiagnosticEngine diags{sources};
  uint32_t id = 0;
  FrontendResult result;

  explicit Checked(std::string text, std::string name = "sema.rlg") {
    id = sources.addBuffer(std::move(name), std::move(text));
    result = runFrontend(id, sources, diags);
  }

  std::string rendered() const {
    std::ostringstream os;
    renderDiagnostics(os, diags);
    return os.str();
  }

  const StepDecl &step(size_t i = 0) const {
    return result.program.steps.at(i);
  }

  const Stmt &node(const std::string &name, size_t stepIndex = 0) const {
    for (const Stmt &node : step(stepIndex).nodes)
      if (node.name == name && node.kind != Stmt::Kind::Update)
        return node;
    throw std::runtime_error("no node " + name);
  }

  size_t nodeIndex(const std::string &name,
                   Stmt::Kind kind = Stmt::Kind::Assign) const {
    const auto &nodes = step().nodes;
    for (size_t i = 0; i < nodes.size(); ++i)
      if (nodes[i].name == name && nodes[i].kind == kind)
        return i;
    throw std::runtime_error("no node " + name);
  }

  /// The first diagnostic of `severity` whose message contains `text`.
  const Diagnostic *find(Severity severity, const std::string &text) const {
    for (const Diagnostic &diag : diags.diagnostics())
      if (diag.severity == severity &&
          diag.message.find(text) != std::string::npos)
        return &diag;
    return nullptr;
  }
};

/// Asserts one error containing `text` at `line`:`column`.
void expectErrorAt(const Checked &c, unsigned line, unsigned column,
                   const std::string &text) {
  const Diagnostic *diag = c.find(Severity::Error, text);
  ASSERT_NE(diag, nullptr) << "no error containing \"" << text << "\"; got:\n"
                           << c.rendered();
  LineCol lc = c.sources.lineCol(diag->range.begin);
  EXPECT_EQ(lc.line, line) << c.rendered();
  EXPECT_EQ(lc.column, column) << c.rendered();
  EXPECT_FALSE(c.result.checkedOk);
}

/// A small GRPO program; tests edit it with `replaceOnce`.
const std::string kGrpo = R"(model actor: policy("tiny") { lr = 1e-4 }
model ref: frozen(actor)
data train = task.arith(digits = 2)
reward correct = rule.exact_match()
step grpo(prompts = train.batch(32)) {
  ro = generate(actor, prompts, n = 8, max_tokens = 8)
  r = correct(ro)
  old_lp = logprob(actor, ro)
  ref_lp = logprob(ref, ro)
  adv = advantage.grpo(r)
  update actor {
    loss = ppo_clip(old_lp, adv) + 0.001 * kl.k3(ref_lp)
    minibatch = 64
  }
}
run { steps = 10 }
)";

std::string replaceOnce(std::string text, const std::string &from,
                        const std::string &to) {
  size_t at = text.find(from);
  if (at == std::string::npos)
    throw std::runtime_error("'" + from + "' is not in the program");
  return text.replace(at, from.size(), to);
}

// ---- A correct program: types, graph, models
// ---------------------------------------

TEST(SemaTest, GrpoProgramChecksCleanly) {
  Checked c(kGrpo);
  EXPECT_TRUE(c.result.parsed);
  EXPECT_TRUE(c.result.checkedOk) << c.rendered();
  EXPECT_EQ(c.diags.errorCount(), 0u);
  EXPECT_EQ(c.diags.warningCount(), 0u) << c.rendered();
}

TEST(SemaTest, StepValuesCarryBatchShapes) {
  Checked c(kGrpo);
  ASSERT_TRUE(c.result.checkedOk) << c.rendered();
  EXPECT_EQ(c.node("prompts").type.str(), "Prompts[32]");
  EXPECT_EQ(c.node("ro").type.str(), "Rollouts[32 x 8]");
  EXPECT_EQ(c.node("r").type.str(), "SeqScores[32 x 8]");
  EXPECT_EQ(c.node("old_lp").type.str(), "TokenScores[32 x 8]");
  EXPECT_EQ(c.node("adv").type.str(), "Advantages[32 x 8]");
  EXPECT_EQ(c.node("ro").type.sequences(), 256);
  EXPECT_TRUE(c.node("prompts").type.hasAnswers);

  // Scores remember what they were computed on.
  EXPECT_EQ(c.node("r").type.origin, "ro");
  EXPECT_EQ(c.node("old_lp").type.origin, "ro");
  EXPECT_EQ(c.node("old_lp").type.model, "actor");
  EXPECT_EQ(c.node("ref_lp").type.model, "ref");

  const Stmt &update =
      c.step().nodes.at(c.nodeIndex("actor", Stmt::Kind::Update));
  ASSERT_EQ(update.settings.at(0).name, "loss");
  const Type &loss = update.settings[0].value->type;
  EXPECT_EQ(loss.kind, TypeKind::Loss);
  EXPECT_EQ(loss.origin, "ro");

  // Expressions inside nodes are typed too.
  const Expr &generate = *c.node("ro").value;
  EXPECT_EQ(generate.args.at(1).value->type.str(), "Prompts[32]");
  EXPECT_EQ(generate.type.str(), "Rollouts[32 x 8]");
  EXPECT_EQ(c.result.program.data.at(0).source->type.str(), "Data(prompts)");
}

TEST(SemaTest, ScoreArithmeticTypes) {
  Checked c(replaceOnce(kGrpo, "  adv = advantage.grpo(r)\n",
                        "  adv = advantage.grpo(r)\n"
                        "  r_kl = r - 0.05 * kl.k1(old_lp, ref_lp)\n"
                        "  mixed = 0.5 * adv - adv / 2\n"
                        "  update_me = -r\n"));
  // The extra values are unused: warnings, not errors.
  ASSERT_TRUE(c.result.checkedOk) << c.rendered();
  EXPECT_EQ(c.node("r_kl").type.str(), "TokenScores[32 x 8]");
  EXPECT_EQ(c.node("mixed").type.str(), "Advantages[32 x 8]");
  EXPECT_EQ(c.node("update_me").type.str(), "SeqScores[32 x 8]");
  EXPECT_EQ(c.diags.warningCount(), 3u) << c.rendered();
}

TEST(SemaTest, PairsDemosAndLabeledTypes) {
  Checked c(R"(model actor: policy("tiny")
model ref: frozen(actor)
data prefs = jsonl("data/prefs.jsonl", prompt = "prompt", chosen = "chosen", rejected = "rejected")
data fb = jsonl("data/feedback.jsonl", prompt = "prompt", completion = "completion", label = "label")
data tasks = task.arith()
step a(pairs = prefs.batch(8)) {
  ref_lp = logprob(ref, pairs)
  update actor { loss = dpo(ref_lp) }
}
step b(batch = fb.batch(6)) {
  ref_lp = logprob(ref, batch)
  update actor { loss = kto(ref_lp) }
}
step c(demos = tasks.demos(4)) {
  update actor { loss = sft(demos) }
}
run { stage(a, steps = 1), stage(b, steps = 1), stage(c, steps = 1) }
)",
            RLG_PROGRAMS_DIR "/inline.rlg");
  ASSERT_TRUE(c.result.checkedOk) << c.rendered();
  EXPECT_EQ(c.node("pairs", 0).type.str(), "Pairs[8]");
  EXPECT_EQ(c.node("ref_lp", 0).type.str(), "PairScores[8]");
  EXPECT_EQ(c.node("batch", 1).type.str(), "Labeled[6]");
  EXPECT_EQ(c.node("ref_lp", 1).type.str(), "SeqScores[6]");
  EXPECT_EQ(c.node("demos", 2).type.str(), "Demos[4]");
  EXPECT_EQ(c.result.program.data.at(0).source->type.str(), "Data(pairs)");
  EXPECT_EQ(c.result.program.data.at(1).source->type.str(), "Data(labeled)");
}

TEST(SemaTest, DynamicFilterWithoutRefillHasAnUpperBound) {
  Checked c(replaceOnce(
      replaceOnce(kGrpo, "  r = correct(ro)\n",
                  "  kept = filter.dynamic(ro, correct(ro), refill = false)\n"
                  "  r = correct(kept)\n"),
      "old_lp = logprob(actor, ro)", "old_lp = logprob(actor, kept)"));
  // ref_lp is still on ro, so the loss mixes batches: only the types matter
  // here.
  EXPECT_EQ(c.node("kept").type.str(), "Rollouts[<=32 x 8]");
  EXPECT_TRUE(c.node("kept").type.dynamicBatch);
  EXPECT_EQ(c.node("r").type.origin, "kept");
}

TEST(SemaTest, StepGraphEdgesOrderAndOrderEdges) {
  Checked c(kGrpo);
  ASSERT_TRUE(c.result.checkedOk) << c.rendered();
  ASSERT_EQ(c.result.checked.steps.size(), 1u);
  const StepGraph &graph = c.result.checked.steps[0];
  EXPECT_EQ(graph.name, "grpo");
  EXPECT_EQ(graph.decl, &c.step());

  size_t prompts = c.nodeIndex("prompts", Stmt::Kind::Param);
  size_t ro = c.nodeIndex("ro"), r = c.nodeIndex("r"),
         old_lp = c.nodeIndex("old_lp");
  size_t ref_lp = c.nodeIndex("ref_lp"), adv = c.nodeIndex("adv");
  size_t update = c.nodeIndex("actor", Stmt::Kind::Update);

  using Edge = std::pair<size_t, size_t>;
  std::vector<Edge> edges = graph.edges;
  std::sort(edges.begin(), edges.end());
  std::vector<Edge> expected = {
      {prompts, ro}, {ro, r},          {ro, old_lp},  {ro, ref_lp},
      {r, adv},      {old_lp, update}, {adv, update}, {ref_lp, update}};
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(edges, expected);

  // Every read of 'actor' (generate and logprob) comes before its update.
  std::vector<Edge> orderEdges = graph.orderEdges;
  std::sort(orderEdges.begin(), orderEdges.end());
  std::vector<Edge> expectedOrder = {{ro, update}, {old_lp, update}};
  std::sort(expectedOrder.begin(), expectedOrder.end());
  EXPECT_EQ(orderEdges, expectedOrder);

  // The order holds every node once and respects every edge.
  ASSERT_EQ(graph.order.size(), c.step().nodes.size());
  std::vector<size_t> position(graph.order.size());
  for (size_t i = 0; i < graph.order.size(); ++i)
    position.at(graph.order[i]) = i;
  std::vector<size_t> sorted = graph.order;
  std::sort(sorted.begin(), sorted.end());
  for (size_t i = 0; i < sorted.size(); ++i)
    EXPECT_EQ(sorted[i], i);
  for (auto [from, to] : graph.edges)
    EXPECT_LT(position[from], position[to]) << from << " -> " << to;
  for (auto [from, to] : graph.orderEdges)
    EXPECT_LT(position[from], position[to]) << from << " -> " << to;
  EXPECT_EQ(graph.order.front(), prompts);
  EXPECT_EQ(graph.order.back(), update);
}

TEST(SemaTest, StatementOrderDoesNotMatter) {
  // The same graph written bottom-up.
  Checked c(R"(model actor: policy("tiny")
data train = task.arith()
reward correct = rule.exact_match()
step s(prompts = train.batch(4)) {
  update actor { loss = ppo_clip(old_lp, adv) }
  adv = advantage.rloo(r)
  old_lp = logprob(actor, ro)
  r = correct(ro)
  ro = generate(actor, prompts, n = 2)
}
run { steps = 1 }
)");
  ASSERT_TRUE(c.result.checkedOk) << c.rendered();
  EXPECT_EQ(c.node("adv").type.str(), "Advantages[4 x 2]");
  const StepGraph &graph = c.result.checked.steps.at(0);
  ASSERT_EQ(graph.order.size(), 6u);
  EXPECT_EQ(graph.order.front(), c.nodeIndex("prompts", Stmt::Kind::Param));
  EXPECT_EQ(graph.order[1], c.nodeIndex("ro"));
  EXPECT_EQ(graph.order.back(), c.nodeIndex("actor", Stmt::Kind::Update));
}

TEST(SemaTest, ModelInfoForPresetsFrozenCopiesAndFrom) {
  Checked c(R"(model actor: policy("tiny") { lr = 1e-4 }
model ref: frozen(actor)
model rm: reward(from = actor)
model critic: value("qwen2.5-0.5b") { layers = 4 }
model custom: policy {
  layers = 3, hidden = 96, ffn = 128, heads = 6, kv_heads = 3, vocab = 50
}
data train = task.arith()
data prefs = jsonl("data/prefs.jsonl", prompt = "prompt", chosen = "chosen", rejected = "rejected")
reward correct = rule.exact_match()
reward pref = score(rm)
step s(prompts = train.batch(4)) {
  ro = generate(actor, prompts, n = 1)
  old_lp = logprob(actor, ro)
  ref_lp = logprob(ref, ro)
  c_lp = logprob(custom, ro)
  v = value(critic, ro)
  r = correct(ro) + pref(ro) - 0.1 * kl.k1(old_lp, ref_lp) + 0.0 * kl.k1(c_lp, ref_lp)
  adv = advantage.gae(r, v)
  ret = returns(adv, v)
  update actor { loss = ppo_clip(old_lp, adv) }
  update critic { loss = value_loss(v, ret) }
}
step fit(pairs = prefs.batch(4)) {
  update rm { loss = bradley_terry(pairs) }
}
run { stage(fit, steps = 1), stage(s, steps = 1), eval(train, every = 1, model = actor) }
)",
            RLG_PROGRAMS_DIR "/inline.rlg");
  ASSERT_TRUE(c.result.checkedOk) << c.rendered();
  EXPECT_EQ(c.diags.warningCount(), 0u) << c.rendered();
  const CheckedProgram &checked = c.result.checked;
  ASSERT_EQ(checked.models.size(), 5u);

  const ModelInfo *actor = checked.findModel("actor");
  ASSERT_NE(actor, nullptr);
  EXPECT_EQ(actor->role, "policy");
  EXPECT_FALSE(actor->frozen);
  EXPECT_EQ(actor->preset, "tiny");
  EXPECT_TRUE(actor->updated);
  ModelArch tiny = *findModelPreset("tiny");
  EXPECT_EQ(actor->arch.layers, 2);
  EXPECT_EQ(actor->arch.hidden, 64);
  EXPECT_EQ(actor->arch.ffn, 176);
  EXPECT_EQ(actor->arch.heads, 4);
  EXPECT_EQ(actor->arch.kvHeads, 2);
  EXPECT_EQ(actor->arch.vocab, 64);
  EXPECT_TRUE(actor->arch.tieEmbeddings);
  EXPECT_EQ(actor->arch.parameterCount(), tiny.parameterCount());

  const ModelInfo *ref = checked.findModel("ref");
  ASSERT_NE(ref, nullptr);
  EXPECT_TRUE(ref->frozen);
  EXPECT_EQ(ref->frozenFrom, "actor");
  EXPECT_EQ(ref->role, "policy"); // Inherited from its source.
  EXPECT_EQ(ref->arch.layers, actor->arch.layers);
  EXPECT_EQ(ref->arch.hidden, actor->arch.hidden);
  EXPECT_EQ(ref->arch.vocab, actor->arch.vocab);
  EXPECT_FALSE(ref->updated);

  const ModelInfo *rm = checked.findModel("rm");
  ASSERT_NE(rm, nullptr);
  EXPECT_EQ(rm->role, "reward");
  EXPECT_EQ(rm->initFrom, "actor");
  EXPECT_FALSE(rm->frozen);
  EXPECT_EQ(rm->arch.hidden, actor->arch.hidden); // Sizes come from 'from'.
  EXPECT_EQ(rm->arch.layers, actor->arch.layers);
  EXPECT_TRUE(rm->updated);

  const ModelInfo *critic = checked.findModel("critic");
  ASSERT_NE(critic, nullptr);
  EXPECT_EQ(critic->role, "value");
  EXPECT_EQ(critic->preset, "qwen2.5-0.5b");
  EXPECT_EQ(critic->arch.layers, 4); // Overridden.
  EXPECT_EQ(critic->arch.hidden, 896);
  EXPECT_EQ(critic->arch.heads, 14);
  EXPECT_EQ(critic->arch.kvHeads, 2);
  EXPECT_EQ(critic->arch.vocab, 151936);

  const ModelInfo *custom = checked.findModel("custom");
  ASSERT_NE(custom, nullptr);
  EXPECT_EQ(custom->preset, "");
  EXPECT_EQ(custom->arch.layers, 3);
  EXPECT_EQ(custom->arch.hidden, 96);
  EXPECT_EQ(custom->arch.heads, 6);
  EXPECT_EQ(custom->arch.kvHeads, 3);
  EXPECT_EQ(custom->arch.vocab, 50);
  EXPECT_FALSE(custom->arch.tieEmbeddings);
  EXPECT_FALSE(custom->updated);

  EXPECT_EQ(checked.findModel("nobody"), nullptr);
}

TEST(SemaTest, PresetNamesAreKnown) {
  std::vector<std::string> names = modelPresetNames();
  EXPECT_NE(std::find(names.begin(), names.end(), "tiny"), names.end());
  EXPECT_NE(std::find(names.begin(), names.end(), "llama-70b"), names.end());
  for (const std::string &name : names) {
    std::optional<ModelArch> arch = findModelPreset(name);
    ASSERT_TRUE(arch.has_value()) << name;
    EXPECT_EQ(arch->hidden % arch->heads, 0) << name;
    EXPECT_EQ(arch->heads % arch->kvHeads, 0) << name;
    EXPECT_GT(arch->parameterCount(), 0) << name;
  }
  EXPECT_FALSE(findModelPreset("huge").has_value());
  // A larger preset has more parameters.
  EXPECT_LT(findModelPreset("qwen2.5-0.5b")->parameterCount(),
            findModelPreset("qwen2.5-7b")->parameterCount());
}

// ---- Located errors and warnings
// -------------------------------------------------

TEST(SemaErrorTest, GroupSizeMustMatchSamples) {
  Checked c(
      replaceOnce(kGrpo, "advantage.grpo(r)", "advantage.grpo(r, group = 4)"));
  expectErrorAt(c, 10, 35, "does not match the 8 samples");
}

TEST(SemaErrorTest, GrpoNeedsTwoSamples) {
  Checked c(replaceOnce(kGrpo, "n = 8,", "n = 1,"));
  expectErrorAt(c, 10, 24, "n = 1");
}

TEST(SemaErrorTest, MinibatchMustDivideTheBatch) {
  Checked c(replaceOnce(kGrpo, "minibatch = 64", "minibatch = 100"));
  expectErrorAt(c, 13, 17,
                "mini-batch 100 does not divide the update's batch of 256");
  const Diagnostic *diag = c.find(Severity::Error, "mini-batch 100");
  ASSERT_NE(diag, nullptr);
  EXPECT_EQ(c.sources.slice(diag->range), "100");
  EXPECT_NE(diag->hint.find("256"), std::string::npos);
}

TEST(SemaErrorTest, MicrobatchMustDivideTheMinibatch) {
  Checked c(
      replaceOnce(kGrpo, "minibatch = 64", "minibatch = 64, microbatch = 48"));
  expectErrorAt(c, 13, 34,
                "micro-batch 48 does not divide the mini-batch of 64");
}

TEST(SemaErrorTest, FrozenModelCannotBeUpdated) {
  Checked c(replaceOnce(kGrpo, "update actor {", "update ref {"));
  expectErrorAt(c, 11, 10, "cannot update frozen model 'ref'");
}

TEST(SemaErrorTest, ModelUpdatedTwice) {
  Checked c(replaceOnce(
      kGrpo, "  update actor {",
      "  update actor { loss = ppo_clip(old_lp, adv) }\n  update actor {"));
  // Reported at the second update, with a note at the first.
  expectErrorAt(c, 12, 10, "updated twice");
  const Diagnostic *diag = c.find(Severity::Error, "updated twice");
  ASSERT_NE(diag, nullptr);
  ASSERT_EQ(diag->notes.size(), 1u);
  EXPECT_EQ(c.sources.lineCol(diag->notes[0].range.begin).line, 11u);
}

TEST(SemaErrorTest, CycleBetweenTwoValues) {
  Checked c(replaceOnce(kGrpo, "r = correct(ro)", "r = correct(ro) + adv"));
  expectErrorAt(c, 7, 3, "cycle in step 'grpo'");
  const Diagnostic *diag = c.find(Severity::Error, "cycle");
  ASSERT_NE(diag, nullptr);
  ASSERT_EQ(diag->notes.size(), 1u);
  LineCol note = c.sources.lineCol(diag->notes[0].range.begin);
  EXPECT_EQ(note.line, 10u);
  EXPECT_EQ(note.column, 3u);
  EXPECT_TRUE(c.result.checked.steps.at(0).order.empty());
  EXPECT_EQ(c.diags.errorCount(), 1u) << c.rendered();
}

TEST(SemaErrorTest, ValueDefinedInTermsOfItself) {
  Checked c(replaceOnce(kGrpo, "r = correct(ro)", "r = correct(ro) + r"));
  expectErrorAt(c, 7, 3, "'r' is defined in terms of itself");
  EXPECT_EQ(c.diags.errorCount(), 1u) << c.rendered();
}

TEST(SemaErrorTest, UnknownNameWithSuggestion) {
  Checked c(replaceOnce(kGrpo, "kl.k3(ref_lp)", "kl.k3(ref_lpp)"));
  expectErrorAt(c, 12, 50, "unknown name 'ref_lpp'");
  EXPECT_EQ(c.find(Severity::Error, "ref_lpp")->hint, "did you mean 'ref_lp'?");
}

TEST(SemaErrorTest, DuplicateStepValueHasANote) {
  Checked c(replaceOnce(kGrpo, "  adv = advantage",
                        "  r = correct(ro)\n  adv = advantage"));
  expectErrorAt(c, 10, 3, "'r' is already defined in step 'grpo'");
  const Diagnostic *diag = c.find(Severity::Error, "already defined");
  ASSERT_EQ(diag->notes.size(), 1u);
  EXPECT_EQ(c.sources.lineCol(diag->notes[0].range.begin).line, 7u);
}

TEST(SemaErrorTest, UnknownNamedArgumentWithSuggestion) {
  Checked c(replaceOnce(kGrpo, "max_tokens = 8", "max_tokenz = 8"));
  expectErrorAt(c, 6, 40, "no parameter 'max_tokenz'");
  EXPECT_EQ(c.find(Severity::Error, "max_tokenz")->hint,
            "did you mean 'max_tokens'?");
}

TEST(SemaErrorTest, TopPOutOfRange) {
  Checked c(replaceOnce(kGrpo, "max_tokens = 8", "max_tokens = 8, top_p = 0"));
  expectErrorAt(c, 6, 64, "'top_p'");
}

TEST(SemaErrorTest, GreedyNeedsOneSample) {
  Checked c(
      replaceOnce(kGrpo, "max_tokens = 8", "max_tokens = 8, greedy = true"));
  expectErrorAt(c, 6, 65, "greedy");
}

TEST(SemaErrorTest, UnknownPreset) {
  Checked c(replaceOnce(kGrpo, "\"tiny\"", "\"huge\""));
  expectErrorAt(c, 1, 21, "unknown model preset \"huge\"");
}

TEST(SemaErrorTest, HiddenNotDivisibleByHeads) {
  Checked c(replaceOnce(kGrpo, "policy(\"tiny\") { lr = 1e-4 }",
                        "policy { layers = 2, hidden = 100, ffn = 64, heads = "
                        "8, kv_heads = 2, vocab = 64 }"));
  expectErrorAt(c, 1, 67, "not divisible");
}

TEST(SemaErrorTest, ModelCannotStartFromItself) {
  Checked c(replaceOnce(kGrpo, "policy(\"tiny\")", "policy(from = actor)"));
  expectErrorAt(c, 1, 28, "its own weights");
}

TEST(SemaErrorTest, FrozenModelTakesNoSettings) {
  Checked c(replaceOnce(kGrpo, "frozen(actor)", "frozen(actor) { lr = 1e-3 }"));
  expectErrorAt(c, 2, 28, "frozen model takes no settings");
}

TEST(SemaErrorTest, LogprobNeedsAPolicy) {
  Checked c(replaceOnce(
      replaceOnce(kGrpo,
                  "model ref:", "model critic: value(\"tiny\")\nmodel ref:"),
      "  adv = advantage", "  v = logprob(critic, ro)\n  adv = advantage"));
  expectErrorAt(c, 11, 15, "needs a policy model");
}

TEST(SemaErrorTest, ScoresOfDifferentKindsDoNotCombine) {
  Checked c(replaceOnce(kGrpo, "  update actor {",
                        "  bad = old_lp + r + adv\n  update actor {"));
  expectErrorAt(c, 11, 9,
                "cannot combine TokenScores[32 x 8] with Advantages[32 x 8]");
}

TEST(SemaErrorTest, LossTermOutsideAnUpdate) {
  Checked c(
      replaceOnce(kGrpo, "  adv = advantage.grpo(r)\n",
                  "  adv = advantage.grpo(r)\n  l = ppo_clip(old_lp, adv)\n"));
  expectErrorAt(c, 11, 7, "loss term");
}

TEST(SemaErrorTest, UpdateWithoutLoss) {
  Checked c(replaceOnce(kGrpo,
                        "loss = ppo_clip(old_lp, adv) + 0.001 * kl.k3(ref_lp)",
                        "agg = \"token-mean\""));
  expectErrorAt(c, 11, 10, "has no loss");
}

TEST(SemaErrorTest, BatchSizeMustBePositive) {
  Checked c(replaceOnce(kGrpo, "train.batch(32)", "train.batch(0)"));
  expectErrorAt(c, 5, 33, "batch size");
}

TEST(SemaErrorTest, SecondRunBlock) {
  Checked c(kGrpo + "run { steps = 5 }\n");
  expectErrorAt(c, 17, 1, "one run block");
}

TEST(SemaErrorTest, StepsIsAmbiguousWithTwoSteps) {
  Checked c(replaceOnce(
      kGrpo, "run {",
      "step other(p = train.demos(4)) { update actor { loss = sft(p) } }\n"
      "run {"));
  expectErrorAt(c, 17, 7, "'steps' is ambiguous");
}

TEST(SemaErrorTest, OverlongBufferMustBeShorterThanMax) {
  Checked c(
      replaceOnce(kGrpo, "rule.exact_match()",
                  "rule.exact_match() + rule.overlong(max = 4, buffer = 4)"));
  expectErrorAt(c, 4, 71, "buffer");
}

TEST(SemaErrorTest, ScheduleNamesACallTheModelDoesNotMake) {
  Checked c(
      replaceOnce(kGrpo, "run {", "schedule { ref.update { dp = 2 } }\nrun {"));
  expectErrorAt(c, 16, 12, "has no 'update' calls");
}

TEST(SemaErrorTest, ExactMatchNeedsAnswers) {
  Checked c(
      replaceOnce(
          kGrpo, "data train = task.arith(digits = 2)",
          "data train = jsonl(\"data/prompts.jsonl\", prompt = \"prompt\")"),
      RLG_PROGRAMS_DIR "/inline.rlg");
  expectErrorAt(c, 7, 15, "no answers");
}

TEST(SemaErrorTest, JsonlFieldMustBeInTheFirstRecord) {
  Checked c(
      replaceOnce(
          kGrpo, "data train = task.arith(digits = 2)",
          "data train = jsonl(\"data/prompts.jsonl\", prompt = \"question\")"),
      RLG_PROGRAMS_DIR "/inline.rlg");
  expectErrorAt(c, 3, 51, "\"question\" is not in the first record");
}

TEST(SemaErrorTest, JsonlFileMustExist) {
  Checked c(replaceOnce(
                kGrpo, "data train = task.arith(digits = 2)",
                "data train = jsonl(\"data/nope.jsonl\", prompt = \"prompt\")"),
            RLG_PROGRAMS_DIR "/inline.rlg");
  expectErrorAt(c, 3, 20, "data/nope.jsonl");
}

TEST(SemaErrorTest, PathsAreRelativeToTheProgramFile) {
  // The same jsonl source from a buffer outside programs/ cannot find the file.
  std::string program =
      replaceOnce(kGrpo, "data train = task.arith(digits = 2)",
                  "data train = jsonl(\"data/prompts.jsonl\", prompt = "
                  "\"prompt\", answer = \"answer\")");
  Checked inside(program, RLG_PROGRAMS_DIR "/inline.rlg");
  EXPECT_TRUE(inside.result.checkedOk) << inside.rendered();
  Checked outside(program, "/nonexistent-dir/inline.rlg");
  expectErrorAt(outside, 3, 20, "data/prompts.jsonl");
}

TEST(SemaErrorTest, RewardsReferringToEachOther) {
  Checked c(replaceOnce(
      kGrpo, "reward correct = rule.exact_match()",
      "reward correct = rule.exact_match() + other\nreward other = correct"));
  expectErrorAt(c, 5, 16, "cycle");
}

TEST(SemaErrorTest, ProgramWithoutAStep) {
  Checked c("model actor: policy(\"tiny\")\n");
  expectErrorAt(c, 1, 1, "no step");
}

TEST(SemaErrorTest, SyntaxErrorsSkipChecking) {
  Checked c(replaceOnce(kGrpo, "r = correct(ro)", "r = correct(ro"));
  EXPECT_FALSE(c.result.parsed);
  EXPECT_FALSE(c.result.checkedOk);
  EXPECT_TRUE(c.result.checked.steps.empty());
  EXPECT_GE(c.diags.errorCount(), 1u);
}

TEST(SemaWarningTest, UnusedValueIsAWarning) {
  Checked c(replaceOnce(kGrpo, "  adv = advantage",
                        "  extra = logprob(actor, ro)\n  adv = advantage"));
  EXPECT_TRUE(c.result.checkedOk) << c.rendered();
  EXPECT_EQ(c.diags.errorCount(), 0u);
  EXPECT_EQ(c.diags.warningCount(), 1u) << c.rendered();
  const Diagnostic *diag =
      c.find(Severity::Warning, "'extra' is computed but never used");
  ASSERT_NE(diag, nullptr) << c.rendered();
  LineCol lc = c.sources.lineCol(diag->range.begin);
  EXPECT_EQ(lc.line, 10u);
  EXPECT_EQ(lc.column, 3u);
  EXPECT_EQ(c.sources.slice(diag->range), "extra");
}

TEST(SemaWarningTest, UnusedDeclarationsAreWarnings) {
  Checked c(
      replaceOnce(kGrpo, "reward correct",
                  "model spare: value(\"tiny\")\ndata other = task.sort()\n"
                  "reward fmt = rule.format(pattern = \"x\")\nreward correct"));
  EXPECT_TRUE(c.result.checkedOk) << c.rendered();
  EXPECT_EQ(c.diags.warningCount(), 3u) << c.rendered();
  const Diagnostic *model =
      c.find(Severity::Warning, "model 'spare' is never used");
  ASSERT_NE(model, nullptr) << c.rendered();
  EXPECT_EQ(c.sources.lineCol(model->range.begin).line, 4u);
  EXPECT_EQ(c.sources.lineCol(model->range.begin).column, 7u);
  EXPECT_NE(c.find(Severity::Warning, "data 'other' is never used"), nullptr);
  EXPECT_NE(c.find(Severity::Warning, "reward 'fmt' is never used"), nullptr);
}

TEST(SemaWarningTest, WarningsAreNotReportedAfterErrors) {
  Checked c(replaceOnce(
      kGrpo, "  adv = advantage",
      "  extra = logprob(actor, ro)\n  adv = advantage.grpo(r, group = 4)"));
  EXPECT_GE(c.diags.errorCount(), 1u);
  EXPECT_EQ(c.diags.warningCount(), 0u) << c.rendered();
}

// ---- The example programs
// ----------------------------------------------------------

TEST(SemaProgramsTest, EveryExampleChecksWithoutErrorsOrWarnings) {
  namespace fs = std::filesystem;
  size_t count = 0;
  for (const fs::directory_entry &entry :
       fs::directory_iterator(RLG_PROGRAMS_DIR)) {
    if (entry.path().extension() != ".rlg")
      continue;
    ++count;
    SourceManager sources;
    DiagnosticEngine diags(sources);
    std::string error;
    std::optional<uint32_t> id = sources.addFile(entry.path().string(), error);
    ASSERT_TRUE(id.has_value()) << entry.path() << ": " << error;
    FrontendResult result = runFrontend(*id, sources, diags);
    std::ostringstream os;
    renderDiagnostics(os, diags);
    EXPECT_TRUE(result.checkedOk) << entry.path() << "\n" << os.str();
    EXPECT_EQ(diags.errorCount(), 0u) << entry.path() << "\n" << os.str();
    EXPECT_EQ(diags.warningCount(), 0u) << entry.path() << "\n" << os.str();
    EXPECT_FALSE(result.checked.steps.empty()) << entry.path();
    for (const StepGraph &graph : result.checked.steps)
      EXPECT_EQ(graph.order.size(), graph.decl->nodes.size()) << entry.path();
  }
  EXPECT_GE(count, 10u);
}

// ---- Regressions: inputs that must not crash the checker
// ---------------------------

TEST(SemaRegressionTest, UpdatesThatReadEachOthersModelsDoNotThrow) {
  // Each update names the other model, so the ordering edges (a read of M
  // before update M) form a circle between the two updates.
  std::string program = R"(model actor: policy("tiny")
model critic: value("tiny")
data train = task.arith()
step s(prompts = train.batch(4)) {
  update actor { loss = sft(critic) }
  update critic { loss = sft(actor) }
}
run { steps = 1 }
)";
  SourceManager sources;
  DiagnosticEngine diags(sources);
  uint32_t id = sources.addBuffer("order_cycle.rlg", program);
  FrontendResult result;
  EXPECT_NO_THROW(result = runFrontend(id, sources, diags));
  EXPECT_GE(diags.errorCount(), 1u);
}

TEST(SemaRegressionTest, MinibatchHintOnAHugeBatchFinishesQuickly) {
  // 16777216 prompts x 1024 samples = 2^34 sequences. The divisor search for
  // the hint counts down from half the batch, so this check took about 20 s
  // (about 85 s with n = 4096) before the search was bounded.
  Checked c(replaceOnce(replaceOnce(replaceOnce(kGrpo, "train.batch(32)",
                                                "train.batch(16777216)"),
                                    "n = 8,", "n = 1024,"),
                        "minibatch = 64", "minibatch = 3"));
  expectErrorAt(c, 13, 17, "mini-batch 3 does not divide");
  const Diagnostic *diag = c.find(Severity::Error, "mini-batch 3");
  ASSERT_NE(diag, nullptr);
  EXPECT_NE(diag->hint.find("such as 2 or 4"), std::string::npos) << diag->hint;
}

/// Runs the frontend in a child process and exits 0 when it returns, so that
/// a stack overflow fails this test instead of the whole executable.
void expectFrontendReturns(const std::string &program) {
  EXPECT_EXIT(
      {
        Checked c(program);
        (void)c;
        std::exit(0);
      },
      ::testing::ExitedWithCode(0), "");
}

TEST(SemaRegressionDeathTest, LongSumInAStepDoesNotOverflowTheStack) {
  std::string sum = "r = correct(ro)";
  for (int i = 0; i < 100000; ++i)
    sum += " + correct(ro)";
  expectFrontendReturns(replaceOnce(kGrpo, "r = correct(ro)", sum));
}

TEST(SemaRegressionDeathTest, LongMemberChainDoesNotOverflowTheStack) {
  std::string chain = "r = ro";
  for (int i = 0; i < 100000; ++i)
    chain += ".x";
  expectFrontendReturns(replaceOnce(kGrpo, "r = correct(ro)", chain));
}

TEST(SemaRegressionDeathTest, LongRewardSumDoesNotOverflowTheStack) {
  std::string sum = "reward correct = rule.exact_match()";
  for (int i = 0; i < 100000; ++i)
    sum += " + rule.exact_match()";
  expectFrontendReturns(
      replaceOnce(kGrpo, "reward correct = rule.exact_match()", sum));
}

} // namespace
