// Attributes for what the planner decides: device meshes and parallel layouts.
#ifndef RLG_ATTRS_TD
#define RLG_ATTRS_TD

include "rlg/Dialect/RLG/IR/RLGDialect.td"
include "mlir/IR/AttrTypeBase.td"

class RLG_Attr<string name, string attrMnemonic>
    : AttrDef<RLG_Dialect, name> {
  let mnemonic = attrMnemonic;
}

def RLG_MeshAttr : RLG_Attr<"Mesh", "mesh"> {
  let summary = "a set of devices that run a call together";
  let description = [{
    Device ranks of the cluster, in order. Example:
    `#rlg.mesh<[0, 1, 2, 3]>`.
  }];
  let parameters = (ins ArrayRefParameter<"int64_t">:$devices);
  let assemblyFormat = "`<` `[` $devices `]` `>`";
  let genVerifyDecl = 1;
}

def RLG_LayoutAttr : RLG_Attr<"Layout", "layout"> {
  let summary = "the parallel layout of one model call";
  let description = [{
    Data-, tensor- and pipeline-parallel degrees, the ZeRO stage, the
    micro-batch per device (0: the planner's choice), activation
    checkpointing and offloading between phases. Example:
    `#rlg.layout<dp = 4, tp = 2, pp = 1, zero = 1, microbatch = 8,
    checkpointing = false, offload = false>`.
  }];
  let parameters = (ins "int64_t":$dp, "int64_t":$tp, "int64_t":$pp,
                        "int64_t":$zero, "int64_t":$microbatch,
                        "bool":$checkpointing, "bool":$offload);
  let assemblyFormat = "`<` struct(params) `>`";
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    /// Devices the layout needs: dp x tp x pp.
    int64_t getDeviceCount() const { return getDp() * getTp() * getPp(); }
  }];
}

def RLG_PlacementAttr : RLG_Attr<"Placement", "placement"> {
  let summary = "where and how a call runs";
  let description = [{
    The mesh a call runs on and its layout there; the layout's device count
    must equal the mesh size. Example:
    `#rlg.placement<mesh = #rlg.mesh<[0]>, layout = #rlg.layout<dp = 1,
    tp = 1, pp = 1, zero = 0, microbatch = 0, checkpointing = false,
    offload = false>>`.
  }];
  let parameters = (ins "MeshAttr":$mesh, "LayoutAttr":$layout);
  let assemblyFormat = "`<` struct(params) `>`";
  let genVerifyDecl = 1;
}

#endif // RLG_ATTRS_TD
