// Export of one placed rlg.step into a schedule step.
#pragma once

#include "ExportSupport.h"

namespace rlg::exporter {

class StepExporter {
public:
  StepExporter(MeshTable &meshes, schedule::Step &step)
      : meshes_(meshes), step_(step) {}
  mlir::LogicalResult run(ir::StepOp step);
  /// The ids given to the step's ops.
  const OpIds &ids() const { return ids_; }

private:
  mlir::LogicalResult exportOp(mlir::Operation *op);
  void exportUpdate(ir::UpdateOp update, schedule::Op &out);
  mlir::LogicalResult placeOp(mlir::Operation *op, schedule::Op &out);
  schedule::AttrValue placementValue(ir::PlacementAttr placement);

  MeshTable &meshes_;
  schedule::Step &step_;
  OpIds ids_;
};

} // namespace rlg::exporter
