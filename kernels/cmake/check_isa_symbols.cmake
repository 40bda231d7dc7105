# Fails unless every per-ISA object (OBJECTS, a list) defines no external symbol other than its
# rv::kernels::detail::<isa>_table() (or int8_<path>_table()) and the C++ personality reference: any other one could be
# merged by the linker with a copy compiled for another ISA (see src/common/simd_common.h).
# Allowed too: the typeinfo of function types (_ZTIF..., _ZTSF...) that UBSan's -fsanitize=function
# emits in the checking build; they describe a type, hold no code, and are the same in every file.
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
       OR line MATCHES " V _ZT[IS]F[A-Za-z0-9_]+$")
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
