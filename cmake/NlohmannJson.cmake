# nlohmann_json (Debian's nlohmann-json3-dev, 3.11.2). The Emscripten sysroot
# cannot see /usr/include, and adding /usr/include wholesale would shadow its
# libc, so the wasm build gets a private include dir that holds nlohmann/ only.
find_path(CS_NLOHMANN_ROOT nlohmann/json.hpp
  PATHS /usr/include /usr/local/include
  NO_CMAKE_FIND_ROOT_PATH)
if(NOT CS_NLOHMANN_ROOT)
  message(FATAL_ERROR "nlohmann/json.hpp not found; run ./emsdk-setup.sh")
endif()

add_library(cs_nlohmann_json INTERFACE)
if(EMSCRIPTEN)
  set(isolated "${CMAKE_BINARY_DIR}/nlohmann-only")
  file(COPY "${CS_NLOHMANN_ROOT}/nlohmann" DESTINATION "${isolated}")
  target_include_directories(cs_nlohmann_json SYSTEM INTERFACE "${isolated}")
else()
  target_include_directories(cs_nlohmann_json SYSTEM INTERFACE "${CS_NLOHMANN_ROOT}")
endif()
