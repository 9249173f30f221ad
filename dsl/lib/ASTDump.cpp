// Printing the AST (with ranges and types) and program summaries.
#include "rlg/DSL/ASTDump.h"

#include <sstream>

namespace rlg::dsl {

namespace {

class Dumper {
public:
  Dumper(std::ostream &os, const SourceManager &sources)
      : os_(os), sources_(sources) {}

  void program(const Program &program) {
    os_ << "Program " << sources_.name(program.bufferId) << '\n';
    for (const ModelDecl &decl : program.models) {
      line(1, "ModelDecl " + decl.name, decl.range);
      os_ << " role=" << decl.role << '\n';
      args(2, decl.args);
      settings(2, decl.settings);
    }
    for (const DataDecl &decl : program.data) {
      line(1, "DataDecl " + decl.name, decl.range);
      os_ << typeSuffix(decl.source->type) << '\n';
      expr(2, *decl.source);
    }
    for (const RewardDecl &decl : program.rewards) {
      line(1, "RewardDecl " + decl.name, decl.range);
      os_ << '\n';
      expr(2, *decl.value);
    }
    for (const StepDecl &step : program.steps) {
      line(1, "StepDecl " + step.name, step.range);
      os_ << '\n';
      for (const Stmt &node : step.nodes) {
        switch (node.kind) {
        case Stmt::Kind::Param:
          line(2, "Param " + node.name, node.range);
          os_ << typeSuffix(node.type) << '\n';
          expr(3, *node.value);
          break;
        case Stmt::Kind::Assign:
          line(2, "Assign " + node.name, node.range);
          os_ << typeSuffix(node.type) << '\n';
          expr(3, *node.value);
          break;
        case Stmt::Kind::Update:
          line(2, "Update " + node.name, node.range);
          os_ << '\n';
          settings(3, node.settings);
          break;
        }
      }
    }
    for (const ItemBlock &block : program.runs)
      itemBlock("RunBlock", block);
    for (const ItemBlock &block : program.schedules)
      itemBlock("ScheduleBlock", block);
  }

private:
  std::string rangeText(SourceRange range) const {
    if (!range.isValid())
      return "<>";
    LineCol begin = sources_.lineCol(range.begin);
    LineCol end = sources_.lineCol({range.begin.bufferId, range.end});
    std::ostringstream os;
    os << '<' << begin.line << ':' << begin.column << '-' << end.line << ':'
       << end.column << '>';
    return os.str();
  }

  void line(int depth, const std::string &head, SourceRange range) {
    os_ << std::string(depth * 2, ' ') << head << ' ' << rangeText(range);
  }

  static std::string typeSuffix(const Type &type) {
    return type.isError() ? "" : " : " + type.str();
  }

  void itemBlock(const char *kind, const ItemBlock &block) {
    line(1, kind, block.range);
    os_ << '\n';
    for (const BlockItem &item : block.items) {
      std::string path;
      for (const std::string &part : item.path)
        path += (path.empty() ? "" : ".") + part;
      const char *itemKind =
          item.kind == BlockItem::Kind::Assign  ? "ItemAssign "
          : item.kind == BlockItem::Kind::Block ? "ItemBlock "
                                                : "ItemCall ";
      line(2, itemKind + path, item.range);
      os_ << '\n';
      if (item.value)
        expr(3, *item.value);
      settings(3, item.settings);
      args(3, item.args);
    }
  }

  void settings(int depth, const std::vector<Setting> &list) {
    for (const Setting &setting : list) {
      line(depth, "Setting " + setting.name, setting.nameRange);
      os_ << '\n';
      expr(depth + 1, *setting.value);
    }
  }

  void args(int depth, const std::vector<Arg> &list) {
    for (const Arg &arg : list) {
      if (!arg.name.empty()) {
        line(depth, "NamedArg " + arg.name, arg.nameRange);
        os_ << '\n';
        expr(depth + 1, *arg.value);
      } else {
        expr(depth, *arg.value);
      }
    }
  }

  void expr(int depth, const Expr &e) {
    std::ostringstream head;
    switch (e.kind) {
    case Expr::Kind::Integer:
      head << "Int " << e.intValue;
      break;
    case Expr::Kind::Float:
      head << "Float " << e.floatValue;
      break;
    case Expr::Kind::String:
      head << "String \"" << escape(e.text) << '"';
      break;
    case Expr::Kind::Bool:
      head << "Bool " << (e.boolValue ? "true" : "false");
      break;
    case Expr::Kind::Name:
      head << "Name " << e.text;
      break;
    case Expr::Kind::Member:
      head << "Member " << e.dottedName();
      break;
    case Expr::Kind::Call:
      head << "Call " << e.lhs->dottedName();
      break;
    case Expr::Kind::Binary:
      head << "Binary '" << e.op << "'";
      break;
    case Expr::Kind::Negate:
      head << "Negate";
      break;
    }
    line(depth, head.str(), e.range);
    bool constant = e.kind == Expr::Kind::Integer ||
                    e.kind == Expr::Kind::Float ||
                    e.kind == Expr::Kind::String || e.kind == Expr::Kind::Bool;
    os_ << (constant ? "" : typeSuffix(e.type)) << '\n';
    if (e.kind == Expr::Kind::Call) {
      args(depth + 1, e.args);
      return;
    }
    if (e.kind == Expr::Kind::Member)
      return;
    if (e.lhs)
      expr(depth + 1, *e.lhs);
    if (e.rhs)
      expr(depth + 1, *e.rhs);
  }

  static std::string escape(const std::string &text) {
    std::string out;
    for (char c : text) {
      if (c == '"' || c == '\\')
        out += '\\';
      if (c == '\n') {
        out += "\\n";
        continue;
      }
      out += c;
    }
    return out;
  }

  std::ostream &os_;
  const SourceManager &sources_;
};

} // namespace

void dumpAST(std::ostream &os, const Program &program,
             const SourceManager &sources) {
  Dumper(os, sources).program(program);
}

namespace {
/// 96576 -> "96.6K", 494032768 -> "494M", 7615616512 -> "7.62B".
std::string humanCount(int64_t count) {
  const char *suffixes[] = {"", "K", "M", "B", "T"};
  double value = static_cast<double>(count);
  int index = 0;
  while (value >= 1000 && index < 4) {
    value /= 1000;
    ++index;
  }
  std::ostringstream os;
  if (index == 0) {
    os << count;
    return os.str();
  }
  // Three significant digits.
  os.setf(std::ios::fixed);
  os.precision(value < 10 ? 2 : value < 100 ? 1 : 0);
  os << value << suffixes[index];
  return os.str();
}
} // namespace

void printSummary(std::ostream &os, const Program &program,
                  const CheckedProgram &checked) {
  os << "  models:";
  if (checked.models.empty())
    os << " none";
  os << '\n';
  for (const ModelInfo &model : checked.models) {
    os << "    " << model.name << ": ";
    if (model.frozen)
      os << "frozen copy of " << model.frozenFrom << " (" << model.role << ")";
    else
      os << model.role << (model.updated ? ", trained" : ", not trained");
    if (!model.preset.empty())
      os << ", preset " << model.preset;
    else
      os << ", " << model.arch.layers << " layers x " << model.arch.hidden
         << " hidden";
    if (!model.initFrom.empty())
      os << ", starts from " << model.initFrom;
    os << ", " << humanCount(model.arch.parameterCount()) << " parameters\n";
  }
  os << "  data: " << program.data.size()
     << ", rewards: " << program.rewards.size() << '\n';
  for (const StepGraph &step : checked.steps) {
    size_t updates = 0;
    for (const Stmt &node : step.decl->nodes)
      updates += node.kind == Stmt::Kind::Update;
    os << "  step " << step.name << ": " << step.decl->nodes.size()
       << " nodes (" << updates << " update" << (updates == 1 ? "" : "s")
       << "), " << step.edges.size()
       << (step.edges.size() == 1 ? " edge\n" : " edges\n");
    os << "    order:";
    for (size_t index : step.order) {
      const Stmt &node = step.decl->nodes[index];
      os << ' '
         << (node.kind == Stmt::Kind::Update ? "update(" + node.name + ")"
                                             : node.name);
    }
    os << '\n';
  }
}

} // namespace rlg::dsl
