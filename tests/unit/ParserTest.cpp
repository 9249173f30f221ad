// Tests the .rlg parser: AST shapes, precedence, recovery and limits.
#include "rlg/DSL/Parser.h"

#include <gtest/gtest.h>

#include <string>

using namespace rlg;
using namespace rlg::dsl;

namespace {

struct Parsed {
  SourceManager sources;
  DiagnosticEngine diags{sources};
  uint32_t id = 0;
  Program program;

  explicit Parsed(std::string text) {
    id = sources.addBuffer("parse.rlg", std::move(text));
    program = parseProgram(id, sources, diags);
  }
  std::string_view spelling(SourceRange range) const {
    return sources.slice(range);
  }
  LineCol at(SourceRange range) const { return sources.lineCol(range.begin); }
  std::string errors() const {
    std::string out;
    for (const Diagnostic &diag : diags.diagnostics())
      out += diag.message + "\n";
    return out;
  }
};

const char *kProgram =
    R"(model actor: policy("tiny", from = base) { lr = 1e-4, warmup = 10 }
model rm: reward
model ref: frozen(actor)
data train = task.arith(digits = 2, split = "train")
reward total = correct + 0.5 * fmt
step s(prompts = train.batch(32), more = train.batch(4)) {
  ro = generate(actor, prompts,
                n = 8)
  x = a + b * c
  y = -a - b - c
  z = (a + b) * c / d
  w = x.data.run
  update actor { loss = ppo_clip(old, adv); minibatch = 64
    epochs = 2 }
}
run { steps = 10, seed = 1
  eval(test, every = 20, model = actor)
}
schedule {
  actor.update { zero = 2 }
  overlap = off_policy(staleness = true)
}
)";

TEST(ParserTest, ProgramParsesWithoutErrors) {
  Parsed p(kProgram);
  EXPECT_EQ(p.diags.errorCount(), 0u) << p.errors();
  EXPECT_EQ(p.program.bufferId, p.id);
  EXPECT_EQ(p.program.models.size(), 3u);
  EXPECT_EQ(p.program.data.size(), 1u);
  EXPECT_EQ(p.program.rewards.size(), 1u);
  EXPECT_EQ(p.program.steps.size(), 1u);
  EXPECT_EQ(p.program.runs.size(), 1u);
  EXPECT_EQ(p.program.schedules.size(), 1u);
}

TEST(ParserTest, ModelRoleArgsAndSettings) {
  Parsed p(kProgram);
  ASSERT_EQ(p.program.models.size(), 3u);
  const ModelDecl &actor = p.program.models[0];
  EXPECT_EQ(actor.name, "actor");
  EXPECT_EQ(actor.role, "policy");
  EXPECT_EQ(p.spelling(actor.nameRange), "actor");
  EXPECT_EQ(p.spelling(actor.roleRange), "policy");
  ASSERT_EQ(actor.args.size(), 2u);
  EXPECT_EQ(actor.args[0].name, "");
  ASSERT_EQ(actor.args[0].value->kind, Expr::Kind::String);
  EXPECT_EQ(actor.args[0].value->text, "tiny");
  EXPECT_EQ(actor.args[1].name, "from");
  EXPECT_EQ(p.spelling(actor.args[1].nameRange), "from");
  ASSERT_EQ(actor.args[1].value->kind, Expr::Kind::Name);
  EXPECT_EQ(actor.args[1].value->text, "base");
  ASSERT_EQ(actor.settings.size(), 2u);
  EXPECT_EQ(actor.settings[0].name, "lr");
  ASSERT_EQ(actor.settings[0].value->kind, Expr::Kind::Float);
  EXPECT_DOUBLE_EQ(actor.settings[0].value->floatValue, 1e-4);
  EXPECT_EQ(actor.settings[1].name, "warmup");
  ASSERT_EQ(actor.settings[1].value->kind, Expr::Kind::Integer);
  EXPECT_EQ(actor.settings[1].value->intValue, 10);
  // The declaration's range runs from 'model' to the closing brace.
  EXPECT_EQ(
      p.spelling(actor.range),
      R"(model actor: policy("tiny", from = base) { lr = 1e-4, warmup = 10 })");

  const ModelDecl &rm = p.program.models[1];
  EXPECT_EQ(rm.role, "reward"); // A keyword as a role.
  EXPECT_TRUE(rm.args.empty());
  EXPECT_TRUE(rm.settings.empty());

  const ModelDecl &ref = p.program.models[2];
  EXPECT_EQ(ref.role, "frozen");
  ASSERT_EQ(ref.args.size(), 1u);
  EXPECT_EQ(ref.args[0].value->text, "actor");
}

TEST(ParserTest, DataIsAMemberCallWithNamedArgs) {
  Parsed p(kProgram);
  ASSERT_EQ(p.program.data.size(), 1u);
  const DataDecl &data = p.program.data[0];
  EXPECT_EQ(data.name, "train");
  const Expr &call = *data.source;
  ASSERT_EQ(call.kind, Expr::Kind::Call);
  ASSERT_TRUE(call.lhs);
  EXPECT_EQ(call.lhs->kind, Expr::Kind::Member);
  EXPECT_EQ(call.lhs->text, "arith");
  EXPECT_EQ(call.lhs->dottedName(), "task.arith");
  ASSERT_EQ(call.args.size(), 2u);
  EXPECT_EQ(call.args[0].name, "digits");
  EXPECT_EQ(call.args[0].value->intValue, 2);
  EXPECT_EQ(call.args[1].name, "split");
  EXPECT_EQ(call.args[1].value->text, "train");
  EXPECT_EQ(p.spelling(call.range),
            R"(task.arith(digits = 2, split = "train"))");
}

TEST(ParserTest, RewardIsAWeightedSum) {
  Parsed p(kProgram);
  ASSERT_EQ(p.program.rewards.size(), 1u);
  const Expr &sum = *p.program.rewards[0].value;
  ASSERT_EQ(sum.kind, Expr::Kind::Binary);
  EXPECT_EQ(sum.op, '+');
  EXPECT_EQ(sum.lhs->text, "correct");
  ASSERT_EQ(sum.rhs->kind, Expr::Kind::Binary);
  EXPECT_EQ(sum.rhs->op, '*');
  EXPECT_DOUBLE_EQ(sum.rhs->lhs->floatValue, 0.5);
  EXPECT_EQ(sum.rhs->rhs->text, "fmt");
}

TEST(ParserTest, StepParamsStatementsAndUpdate) {
  Parsed p(kProgram);
  ASSERT_EQ(p.program.steps.size(), 1u);
  const StepDecl &step = p.program.steps[0];
  EXPECT_EQ(step.name, "s");
  ASSERT_EQ(step.nodes.size(), 8u);
  const char *names[] = {"prompts", "more", "ro", "x", "y", "z", "w", "actor"};
  Stmt::Kind kinds[] = {Stmt::Kind::Param,  Stmt::Kind::Param,
                        Stmt::Kind::Assign, Stmt::Kind::Assign,
                        Stmt::Kind::Assign, Stmt::Kind::Assign,
                        Stmt::Kind::Assign, Stmt::Kind::Update};
  for (size_t i = 0; i < step.nodes.size(); ++i) {
    EXPECT_EQ(step.nodes[i].name, names[i]) << i;
    EXPECT_EQ(step.nodes[i].kind, kinds[i]) << i;
    EXPECT_EQ(p.spelling(step.nodes[i].nameRange), names[i]) << i;
  }
  EXPECT_EQ(step.nodes[0].value->dottedName(), "");
  EXPECT_EQ(step.nodes[0].value->lhs->dottedName(), "train.batch");
  EXPECT_EQ(p.spelling(step.nodes[0].range), "prompts = train.batch(32)");

  // Arguments may continue on the next line after a comma.
  const Expr &generate = *step.nodes[2].value;
  ASSERT_EQ(generate.kind, Expr::Kind::Call);
  EXPECT_EQ(generate.lhs->text, "generate");
  ASSERT_EQ(generate.args.size(), 3u);
  EXPECT_EQ(generate.args[2].name, "n");
  EXPECT_EQ(p.at(generate.args[2].value->range).line, 8u);

  const Stmt &update = step.nodes[7];
  EXPECT_EQ(update.value, nullptr);
  ASSERT_EQ(update.settings.size(), 3u);
  EXPECT_EQ(update.settings[0].name, "loss");
  EXPECT_EQ(update.settings[0].value->kind, Expr::Kind::Call);
  EXPECT_EQ(update.settings[1].name, "minibatch");
  EXPECT_EQ(update.settings[2].name, "epochs");
  EXPECT_EQ(p.at(update.range).line, 13u);
  EXPECT_EQ(p.at(update.range).column, 3u);
}

TEST(ParserTest, MultiplicationBindsTighterThanAddition) {
  Parsed p(kProgram);
  const Expr &x = *p.program.steps.at(0).nodes.at(3).value; // a + b * c
  ASSERT_EQ(x.kind, Expr::Kind::Binary);
  EXPECT_EQ(x.op, '+');
  EXPECT_EQ(x.lhs->kind, Expr::Kind::Name);
  EXPECT_EQ(x.lhs->text, "a");
  ASSERT_EQ(x.rhs->kind, Expr::Kind::Binary);
  EXPECT_EQ(x.rhs->op, '*');
  EXPECT_EQ(x.rhs->lhs->text, "b");
  EXPECT_EQ(x.rhs->rhs->text, "c");
  EXPECT_EQ(p.spelling(x.range), "a + b * c");
  EXPECT_EQ(p.spelling(x.rhs->range), "b * c");
}

TEST(ParserTest, NegationAndLeftAssociativeSubtraction) {
  Parsed p(kProgram);
  const Expr &y = *p.program.steps.at(0).nodes.at(4).value; // -a - b - c
  ASSERT_EQ(y.kind, Expr::Kind::Binary);
  EXPECT_EQ(y.op, '-');
  EXPECT_EQ(y.rhs->text, "c");
  const Expr &inner = *y.lhs;
  ASSERT_EQ(inner.kind, Expr::Kind::Binary);
  EXPECT_EQ(inner.op, '-');
  EXPECT_EQ(inner.rhs->text, "b");
  ASSERT_EQ(inner.lhs->kind, Expr::Kind::Negate);
  EXPECT_EQ(inner.lhs->lhs->text, "a");
  EXPECT_EQ(p.spelling(inner.lhs->range), "-a");
}

TEST(ParserTest, ParenthesesGroup) {
  Parsed p(kProgram);
  const Expr &z = *p.program.steps.at(0).nodes.at(5).value; // (a + b) * c / d
  ASSERT_EQ(z.kind, Expr::Kind::Binary);
  EXPECT_EQ(z.op, '/');
  EXPECT_EQ(z.rhs->text, "d");
  ASSERT_EQ(z.lhs->kind, Expr::Kind::Binary);
  EXPECT_EQ(z.lhs->op, '*');
  ASSERT_EQ(z.lhs->lhs->kind, Expr::Kind::Binary);
  EXPECT_EQ(z.lhs->lhs->op, '+');
}

TEST(ParserTest, KeywordsAreNamesAfterADot) {
  Parsed p(kProgram);
  const Expr &w = *p.program.steps.at(0).nodes.at(6).value; // x.data.run
  ASSERT_EQ(w.kind, Expr::Kind::Member);
  EXPECT_EQ(w.text, "run");
  EXPECT_EQ(w.dottedName(), "x.data.run");

  ASSERT_EQ(p.program.schedules.size(), 1u);
  const ItemBlock &schedule = p.program.schedules[0];
  ASSERT_EQ(schedule.items.size(), 2u);
  const BlockItem &layout = schedule.items[0];
  EXPECT_EQ(layout.kind, BlockItem::Kind::Block);
  EXPECT_EQ(layout.path, (std::vector<std::string>{"actor", "update"}));
  EXPECT_EQ(p.spelling(layout.pathRange), "actor.update");
  ASSERT_EQ(layout.settings.size(), 1u);
  EXPECT_EQ(layout.settings[0].name, "zero");
  const BlockItem &overlap = schedule.items[1];
  EXPECT_EQ(overlap.kind, BlockItem::Kind::Assign);
  EXPECT_EQ(overlap.path, (std::vector<std::string>{"overlap"}));
  ASSERT_EQ(overlap.value->kind, Expr::Kind::Call);
  ASSERT_EQ(overlap.value->args.size(), 1u);
  EXPECT_EQ(overlap.value->args[0].value->kind, Expr::Kind::Bool);
  EXPECT_TRUE(overlap.value->args[0].value->boolValue);
}

TEST(ParserTest, RunItemsAndKeywordNamedArgument) {
  Parsed p(kProgram);
  ASSERT_EQ(p.program.runs.size(), 1u);
  const ItemBlock &run = p.program.runs[0];
  EXPECT_EQ(p.spelling(run.keywordRange), "run");
  ASSERT_EQ(run.items.size(), 3u);
  EXPECT_EQ(run.items[0].kind, BlockItem::Kind::Assign);
  EXPECT_EQ(run.items[0].path, std::vector<std::string>{"steps"});
  EXPECT_EQ(run.items[0].value->intValue, 10);
  EXPECT_EQ(run.items[1].path, std::vector<std::string>{"seed"});
  const BlockItem &eval = run.items[2];
  EXPECT_EQ(eval.kind, BlockItem::Kind::Call);
  EXPECT_EQ(eval.path, std::vector<std::string>{"eval"});
  ASSERT_EQ(eval.args.size(), 3u);
  EXPECT_EQ(eval.args[0].name, "");
  EXPECT_EQ(eval.args[0].value->text, "test");
  EXPECT_EQ(eval.args[1].name, "every");
  EXPECT_EQ(eval.args[2].name, "model"); // 'model' is a keyword.
  EXPECT_EQ(p.spelling(eval.args[2].nameRange), "model");
  EXPECT_EQ(eval.args[2].value->text, "actor");
}

TEST(ParserTest, ArgumentsNeedCommasButMaySpanLines) {
  Parsed ok("data d = f(a,\n  b,\n  c = 1\n)\n");
  EXPECT_EQ(ok.diags.errorCount(), 0u) << ok.errors();
  ASSERT_EQ(ok.program.data.size(), 1u);
  const Expr &call = *ok.program.data[0].source;
  ASSERT_EQ(call.args.size(), 3u);
  EXPECT_EQ(call.args[1].value->text, "b");
  EXPECT_EQ(call.args[2].name, "c");

  // Without the comma, the missing ',' (or ')') is reported with a note at
  // the '(' it belongs to.
  Parsed missing("data d = f(a\n  b)\n");
  ASSERT_EQ(missing.diags.errorCount(), 1u) << missing.errors();
  const Diagnostic &diag = missing.diags.diagnostics()[0];
  EXPECT_NE(diag.message.find("expected ',' or ')'"), std::string::npos);
  ASSERT_EQ(diag.notes.size(), 1u);
  EXPECT_EQ(diag.notes[0].range.begin.offset, 10u);
}

TEST(ParserTest, SemicolonsAndBlankLinesSeparateItems) {
  Parsed p("run {\n\n  steps = 1;\n  seed = 2 ;; checkpoint(every = 1),\n}\n");
  EXPECT_EQ(p.diags.errorCount(), 0u) << p.errors();
  ASSERT_EQ(p.program.runs.size(), 1u);
  EXPECT_EQ(p.program.runs[0].items.size(), 3u);
}

// ---- Errors and recovery
// ---------------------------------------------------------

TEST(ParserTest, MissingSeparatorBetweenSettingsIsAnError) {
  Parsed p("model a: policy { lr = 1 warmup = 2 }\n");
  ASSERT_EQ(p.diags.errorCount(), 1u) << p.errors();
  const Diagnostic &diag = p.diags.diagnostics()[0];
  EXPECT_NE(diag.message.find("expected ','"), std::string::npos)
      << diag.message;
  EXPECT_EQ(p.at(diag.range).column, 26u); // At 'warmup'.
}

TEST(ParserTest, PositionalArgumentAfterNamedIsAnError) {
  Parsed p("data d = f(a = 1, 2)\n");
  ASSERT_EQ(p.diags.errorCount(), 1u) << p.errors();
  EXPECT_NE(p.diags.diagnostics()[0].message.find(
                "positional argument after a named"),
            std::string::npos);
  EXPECT_EQ(p.at(p.diags.diagnostics()[0].range).column, 19u);
}

TEST(ParserTest, StatementOutsideAStepIsAnError) {
  Parsed p("x = generate(actor, prompts)\n");
  ASSERT_EQ(p.diags.errorCount(), 1u) << p.errors();
  EXPECT_NE(p.diags.diagnostics()[0].message.find("must be inside a step"),
            std::string::npos);
}

TEST(ParserTest, KeywordCannotNameADeclaration) {
  Parsed p("model step: policy(\"tiny\")\n");
  ASSERT_EQ(p.diags.errorCount(), 1u) << p.errors();
  EXPECT_NE(p.diags.diagnostics()[0].message.find("'step' is a keyword"),
            std::string::npos);
  EXPECT_EQ(p.at(p.diags.diagnostics()[0].range).column, 7u);
  EXPECT_TRUE(p.program.models.empty());
}

TEST(ParserTest, TwoBrokenDeclarationsThenAGoodOne) {
  Parsed p("model a policy(\"tiny\")\n"
           "data = task.arith()\n"
           "model b: policy(\"tiny\") { lr = 1e-4 }\n");
  EXPECT_EQ(p.diags.errorCount(), 2u) << p.errors();
  ASSERT_EQ(p.diags.diagnostics().size(), 2u);
  EXPECT_EQ(p.at(p.diags.diagnostics()[0].range).line, 1u);
  EXPECT_EQ(p.at(p.diags.diagnostics()[0].range).column, 9u); // 'policy'
  EXPECT_NE(p.diags.diagnostics()[0].message.find("expected ':'"),
            std::string::npos);
  EXPECT_EQ(p.at(p.diags.diagnostics()[1].range).line, 2u);
  EXPECT_EQ(p.at(p.diags.diagnostics()[1].range).column, 6u); // '='
  ASSERT_EQ(p.program.models.size(), 1u);
  EXPECT_EQ(p.program.models[0].name, "b");
  ASSERT_EQ(p.program.models[0].settings.size(), 1u);
  EXPECT_TRUE(p.program.data.empty());
}

TEST(ParserTest, BrokenStatementDoesNotLoseTheRestOfTheStep) {
  Parsed p("step s(p = d.batch(4)) {\n"
           "  x = = 1\n"
           "  y = f(p)\n"
           "  update m { loss = g(y) }\n"
           "}\n"
           "run { steps = 1 }\n");
  EXPECT_EQ(p.diags.errorCount(), 1u) << p.errors();
  EXPECT_EQ(p.at(p.diags.diagnostics()[0].range).line, 2u);
  EXPECT_EQ(p.at(p.diags.diagnostics()[0].range).column, 7u);
  ASSERT_EQ(p.program.steps.size(), 1u);
  const StepDecl &step = p.program.steps[0];
  ASSERT_EQ(step.nodes.size(), 3u);
  EXPECT_EQ(step.nodes[1].name, "y");
  EXPECT_EQ(step.nodes[2].kind, Stmt::Kind::Update);
  EXPECT_EQ(p.program.runs.size(), 1u);
}

TEST(ParserTest, UnclosedStepReportsEndOfFile) {
  Parsed p("step s(p = d.batch(4)) {\n  x = f(p)\n");
  ASSERT_EQ(p.diags.errorCount(), 1u) << p.errors();
  EXPECT_NE(p.diags.diagnostics()[0].message.find("end of file"),
            std::string::npos);
}

TEST(ParserTest, LexicalErrorIsNotReportedTwice) {
  Parsed p("data d = @\n");
  EXPECT_EQ(p.diags.errorCount(), 1u) << p.errors();
  EXPECT_NE(p.diags.diagnostics()[0].message.find("unexpected character"),
            std::string::npos);
}

TEST(ParserTest, DeepParenthesesAreNestedTooDeeply) {
  Parsed p("data x = " + std::string(100000, '('));
  ASSERT_EQ(p.diags.errorCount(), 1u) << p.errors();
  const Diagnostic &diag = p.diags.diagnostics()[0];
  EXPECT_NE(diag.message.find("nested too deeply"), std::string::npos)
      << diag.message;
  EXPECT_EQ(p.at(diag.range).line, 1u);
  EXPECT_TRUE(p.program.data.empty());
}

TEST(ParserTest, DeepNegationsAndCallsAreNestedTooDeeply) {
  std::string calls;
  for (int i = 0; i < 50000; ++i)
    calls += "f(";
  for (const std::string &text :
       {"data x = " + std::string(100000, '-') + "1\n",
        "data x = " + calls + "\n"}) {
    Parsed p(text);
    ASSERT_GE(p.diags.errorCount(), 1u);
    EXPECT_NE(p.diags.diagnostics()[0].message.find("nested too deeply"),
              std::string::npos)
        << p.diags.diagnostics()[0].message;
  }
}

TEST(ParserTest, ModerateNestingIsAccepted) {
  Parsed p("data x = " + std::string(50, '(') + "1" + std::string(50, ')') +
           "\n");
  EXPECT_EQ(p.diags.errorCount(), 0u) << p.errors();
  ASSERT_EQ(p.program.data.size(), 1u);
  EXPECT_EQ(p.program.data[0].source->kind, Expr::Kind::Integer);
}

} // namespace
