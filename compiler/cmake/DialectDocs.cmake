# The rlg dialect's reference pages in docs/dialect/, generated from ODS:
# copies them there (MODE=update, the rlg-docs target) or checks that the
# committed pages are current (MODE=check, the docs.dialect-current test).
#
#   cmake -DMODE=update|check -DTBLGEN=mlir-tblgen -DTD_DIR=<.td folder>
#         -DINCLUDES=<'|'-separated include folders> -DDOCS_DIR=docs/dialect
#         -DGENERATED_DIR=<build folder> -P DialectDocs.cmake
#
# update: GENERATED_DIR holds RLGOps.md, RLGTypes.md and RLGAttrs.md from the
#         RLGDialectDocGen target; each goes to DOCS_DIR under its page name.
# check:  runs mlir-tblgen into GENERATED_DIR itself, then compares.
cmake_minimum_required(VERSION 3.20)

foreach(var MODE TBLGEN TD_DIR INCLUDES DOCS_DIR GENERATED_DIR)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "DialectDocs.cmake needs -D${var}=...")
  endif()
endforeach()

# Generated file, page in docs/dialect/, page title, mlir-tblgen flags.
set(generated RLGOps.md RLGTypes.md RLGAttrs.md)
set(pages ops.md types.md attributes.md)
set(titles "operations" "types" "attributes")
set(flags "-gen-op-doc" "-gen-typedef-doc|-typedefs-dialect=rlg"
          "-gen-attrdef-doc|-attrdefs-dialect=rlg")

set(regenerate "cmake --build build --target rlg-docs")
set(note "_Generated from the ODS files in `compiler/include/rlg/Dialect/RLG/IR/` by mlir-tblgen; do not edit. Regenerate with `${regenerate}`._")

string(REPLACE "|" ";" include_dirs "${INCLUDES}")
set(include_flags)
foreach(dir IN LISTS include_dirs)
  list(APPEND include_flags "-I${dir}")
endforeach()

set(stale)
foreach(gen page title flag IN ZIP_LISTS generated pages titles flags)
  if(MODE STREQUAL "check")
    string(REPLACE "|" ";" flag "${flag}")
    file(MAKE_DIRECTORY "${GENERATED_DIR}")
    execute_process(
      COMMAND "${TBLGEN}" ${flag} ${include_flags} "${TD_DIR}/RLGOps.td"
              -o "${GENERATED_DIR}/${gen}"
      RESULT_VARIABLE status ERROR_VARIABLE errors)
    if(NOT status EQUAL 0)
      message(FATAL_ERROR "mlir-tblgen failed on ${TD_DIR}/RLGOps.td:\n${errors}")
    endif()
  elseif(NOT MODE STREQUAL "update")
    message(FATAL_ERROR "MODE must be update or check, got '${MODE}'")
  endif()
  if(NOT EXISTS "${GENERATED_DIR}/${gen}")
    message(FATAL_ERROR "${GENERATED_DIR}/${gen} is missing; build RLGDialectDocGen")
  endif()
  file(READ "${GENERATED_DIR}/${gen}" body)
  set(want "${note}\n\n# The rlg dialect: ${title}\n\n${body}")
  set(have "")
  if(EXISTS "${DOCS_DIR}/${page}")
    file(READ "${DOCS_DIR}/${page}" have)
  endif()
  if(have STREQUAL want)
    continue()
  endif()
  if(MODE STREQUAL "update")
    file(WRITE "${DOCS_DIR}/${page}" "${want}")
    message(STATUS "Updated docs/dialect/${page}")
  else()
    string(APPEND stale
           "docs/dialect/${page} is out of date; run ${regenerate}\n")
  endif()
endforeach()

if(stale)
  # NOTICE prints the lines as they are; FATAL_ERROR would re-wrap them.
  message(NOTICE "${stale}")
  message(FATAL_ERROR "the generated dialect docs are stale")
endif()
