# Configures and builds rlg with one half switched off, then checks that the
# driver runs and reports what it was built with.
execute_process(
  COMMAND ${CMAKE_COMMAND} -S ${SOURCE_DIR} -B ${BINARY_DIR} -G ${GENERATOR}
          ${FLAGS} -DRLG_BUILD_TESTS=OFF
  RESULT_VARIABLE result)
if(NOT result EQUAL 0)
  message(FATAL_ERROR "configure failed with ${FLAGS}")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} --build ${BINARY_DIR} RESULT_VARIABLE result)
if(NOT result EQUAL 0)
  message(FATAL_ERROR "build failed with ${FLAGS}")
endif()
execute_process(COMMAND ${BINARY_DIR}/bin/rlg --version
  OUTPUT_VARIABLE version RESULT_VARIABLE result)
message(STATUS "${version}")
if(NOT result EQUAL 0)
  message(FATAL_ERROR "rlg --version failed")
endif()
if(FLAGS MATCHES "RLG_ENABLE_MLIR=OFF")
  if(NOT version MATCHES "compiler: not built" OR NOT version MATCHES "runtime: LibTorch")
    message(FATAL_ERROR "runtime-only build reports the wrong halves:\n${version}")
  endif()
  execute_process(COMMAND ldd ${BINARY_DIR}/bin/rlg OUTPUT_VARIABLE libs)
  if(libs MATCHES "libMLIR")
    message(FATAL_ERROR "the runtime-only build links MLIR")
  endif()
else()
  if(NOT version MATCHES "compiler: MLIR" OR NOT version MATCHES "runtime: not built")
    message(FATAL_ERROR "compiler-only build reports the wrong halves:\n${version}")
  endif()
  execute_process(COMMAND ldd ${BINARY_DIR}/bin/rlg OUTPUT_VARIABLE libs)
  if(libs MATCHES "libtorch")
    message(FATAL_ERROR "the compiler-only build links LibTorch")
  endif()
endif()
# Both configurations keep the front end: check one program end to end.
execute_process(COMMAND ${BINARY_DIR}/bin/rlg check ${SOURCE_DIR}/programs/grpo.rlg
  RESULT_VARIABLE result)
if(NOT result EQUAL 0)
  message(FATAL_ERROR "rlg check failed in this configuration")
endif()
