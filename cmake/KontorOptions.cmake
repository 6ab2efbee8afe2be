# Build options shared by every Kontor target.
option(KONTOR_WERROR "Treat compiler warnings as errors (on in CI)" OFF)
option(KONTOR_SANITIZE "Build with AddressSanitizer and UndefinedBehaviorSanitizer" OFF)
option(KONTOR_BUILD_TESTS "Build the test executables" ON)

find_program(CCACHE_PROGRAM ccache)
if(CCACHE_PROGRAM)
  set(CMAKE_CXX_COMPILER_LAUNCHER ${CCACHE_PROGRAM})
endif()

find_program(MOLD_PROGRAM mold)
if(MOLD_PROGRAM)
  add_link_options(-fuse-ld=mold)
endif()

# One interface target carries the warning set; every Kontor target links it.
add_library(kontor_warnings INTERFACE)
target_compile_options(kontor_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast -Wcast-align
  -Woverloaded-virtual -Wnull-dereference -Wimplicit-fallthrough -Wformat=2
  # Aggregates with defaulted optional members are initialised partially on purpose
  # ({.name = "x"}); every member has a default, so the warning only adds noise.
  -Wno-missing-field-initializers)
if(KONTOR_WERROR)
  target_compile_options(kontor_warnings INTERFACE -Werror)
endif()

if(KONTOR_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()

# Boost 1.74's awaitable.hpp uses std::exchange without including <utility>; Asio also warns about
# deprecated bind placeholders. Keep these definitions in one place.
add_compile_definitions(BOOST_ASIO_NO_DEPRECATED BOOST_BIND_GLOBAL_PLACEHOLDERS)
