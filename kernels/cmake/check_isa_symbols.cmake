# Fails unless every per-ISA object (OBJECTS, a list) defines no external symbol other than its
# rv::kernels::detail::<isa>_table() (or int8_<path>_table()) and the C++ personality reference: any other one could be
# merged by the linker with a copy compiled for another ISA (see src/common/simd_common.h).
# Allowed too: the typeinfo of function types (_ZTIF..., _ZTSF...) that UBSan's -fsanitize=function
# emits in the checking build; they describe a type, hold no code, and are the same in every file.
# Allowed on arm64: xsimd 8.1's xsimd::kernel::wrap::v*q_* (81 in table_neon.cpp), plain inline
# functions, each one NEON intrinsic on NEON register types, that xsimd's neon dispatchers take the
# address of, so GCC emits them as weak symbols. They cannot take a LocalArch (no template), and
# the trap needs a second copy built with other flags: no other source includes xsimd, and on arm64
# the NEON source is compiled with the baseline flags like everything else. A second arm64 ISA
# source with extra flags (dotprod, SVE) must first make this exception go.
# usage: cmake -DNM=<nm> -DOBJECTS=<a.o;b.o> -P check_isa_symbols.cmake
set(failed FALSE)
foreach(obj IN LISTS OBJECTS)
  execute_process(COMMAND ${NM} --defined-only --extern-only ${obj}
                  OUTPUT_VARIABLE out RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(SEND_ERROR "${NM} failed on ${obj}")
    set(failed TRUE)
    continue()
  endif()
  string(REPLACE "\n" ";" lines "${out}")
  set(count 0)
  foreach(line IN LISTS lines)
    if(line STREQUAL "" OR line MATCHES "_ZN2rv7kernels6detail[0-9]+[a-z0-9_]+_tableEv$"
       OR line MATCHES "DW\\.ref\\.__gxx_personality_v0$"
       OR line MATCHES " V _ZT[IS]F[A-Za-z0-9_]+$"
       OR (obj MATCHES "table_neon\\.cpp" AND line MATCHES " W _ZN5xsimd6kernel4wrap[0-9]+v[a-z0-9_]+E"))
      continue()
    endif()
    message(SEND_ERROR "${obj}: unexpected external symbol: ${line}")
    set(failed TRUE)
  endforeach()
  message(STATUS "checked ${obj}")
endforeach()
if(failed)
  message(FATAL_ERROR "per-ISA objects export shared symbols")
endif()
