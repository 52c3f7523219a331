# Fails when a source file includes a header of a layer it may not use.
#   cmake -DROOT=<repo> -DRULES="json: db:json vfs:db,json ..." -P CheckLayers.cmake
# RULES is CMakeLists.txt's cs_layer() list: each layer and every layer it
# may use. A layer's own headers and include/campaign_store (the public
# surface: the dispatcher and the C API) are for the API and the bindings
# only; the public headers include nothing of src/. src/bindings may use
# every layer.
set(layers "")
string(REPLACE " " ";" rules "${RULES}")
foreach(rule ${rules})
  string(REGEX MATCH "^([a-z]+):(.*)$" _ "${rule}")
  set(layer "${CMAKE_MATCH_1}")
  string(REPLACE "," ";" uses "${CMAKE_MATCH_2}")
  list(APPEND layers ${layer})
  set(allowed_${layer} ${layer} ${uses})
endforeach()
set(allowed_bindings bindings ${layers} campaign_store)
list(APPEND allowed_api campaign_store)
set(allowed_public campaign_store)

set(violations "")
function(check_file file scope)
  set(found "${violations}")
  file(STRINGS "${file}" includes REGEX "^[ \t]*#[ \t]*include[ \t]+\"[^\"]+/")
  foreach(line ${includes})
    string(REGEX MATCH "\"([^\"/]+)/" _ "${line}")
    set(target "${CMAKE_MATCH_1}")
    list(FIND allowed_${scope} "${target}" at)
    list(FIND layers "${target}" is_layer)
    if(at EQUAL -1 AND (is_layer GREATER -1 OR target STREQUAL "bindings" OR target STREQUAL "campaign_store"))
      file(RELATIVE_PATH rel "${ROOT}" "${file}")
      string(STRIP "${line}" line)
      string(REPLACE ";" ", " may "${allowed_${scope}}")
      string(APPEND found "\n  ${rel}: ${line} (${scope} may include: ${may})")
    endif()
  endforeach()
  set(violations "${found}" PARENT_SCOPE)
endfunction()

foreach(scope ${layers} bindings)
  file(GLOB files "${ROOT}/src/${scope}/*.cpp" "${ROOT}/src/${scope}/*.c" "${ROOT}/src/${scope}/*.hpp"
       "${ROOT}/src/${scope}/*.h")
  foreach(file ${files})
    check_file("${file}" ${scope})
  endforeach()
endforeach()
file(GLOB public_headers "${ROOT}/include/campaign_store/*")
foreach(file ${public_headers})
  check_file("${file}" public)
endforeach()
if(violations)
  message(FATAL_ERROR "Includes against the layers (CMakeLists.txt, cs_layer):${violations}")
endif()
