# The Debian package (issue 15), included by packaging/CMakeLists.txt: desktop integration
# (icons, AppStream metadata), man pages, bash completion, the package's documentation, and the
# CPack settings. `cmake --build build --target package` (or `cpack -G DEB` in build/) writes
# build/ruvision_<version>-1_<arch>.deb; README.md, "Installing the package".

set(RUVISION_MAINTAINER "Seed 8b3bed21 maintainers <maintainers@users.noreply.b-seed-8b3bed21.example>")
set(deb_stage ${CMAKE_CURRENT_BINARY_DIR}/deb)
set(deb_outputs "")

# Man pages and the Debian changelog, compressed as Debian wants them (gzip -9, no name or time
# stamp in the header, so that the same source gives the same bytes).
find_program(GZIP_EXECUTABLE gzip REQUIRED)
function(rv_gzip source output)
  get_filename_component(dir ${output} DIRECTORY)
  string(REGEX REPLACE "\\.gz$" "" plain ${output})
  add_custom_command(OUTPUT ${output}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${dir}
    COMMAND ${CMAKE_COMMAND} -E copy ${source} ${plain}
    COMMAND ${GZIP_EXECUTABLE} -9nf ${plain}
    DEPENDS ${source} VERBATIM)
endfunction()

set(man_pages ruvision-cli.1)
if(RUVISION_BUILD_GUI)
  list(APPEND man_pages ruvision.1)
endif()
foreach(page IN LISTS man_pages)
  rv_gzip(${CMAKE_CURRENT_SOURCE_DIR}/man/${page} ${deb_stage}/man/${page}.gz)
  list(APPEND deb_outputs ${deb_stage}/man/${page}.gz)
  install(FILES ${deb_stage}/man/${page}.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
endforeach()

configure_file(${CMAKE_CURRENT_SOURCE_DIR}/debian/changelog.in ${deb_stage}/changelog.Debian @ONLY)
rv_gzip(${deb_stage}/changelog.Debian ${deb_stage}/doc/changelog.Debian.gz)
list(APPEND deb_outputs ${deb_stage}/doc/changelog.Debian.gz)
install(FILES ${deb_stage}/doc/changelog.Debian.gz ${CMAKE_CURRENT_SOURCE_DIR}/debian/copyright
        DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/ruvision)

install(FILES ${CMAKE_CURRENT_SOURCE_DIR}/debian/lintian-overrides
        DESTINATION ${CMAKE_INSTALL_DATADIR}/lintian/overrides RENAME ruvision)

install(FILES ${CMAKE_CURRENT_SOURCE_DIR}/completion/ruvision-cli.bash
        DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions RENAME ruvision-cli)

if(RUVISION_BUILD_GUI)
  install(FILES ${CMAKE_SOURCE_DIR}/resources/ruvision.desktop DESTINATION ${CMAKE_INSTALL_DATADIR}/applications)
  install(FILES ${CMAKE_SOURCE_DIR}/resources/ruvision.svg DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps)
  # The hicolor PNG sizes, rendered from the SVG at build time by rsvg-convert (librsvg2-bin), so
  # that they never disagree with it.
  find_program(RSVG_CONVERT_EXECUTABLE rsvg-convert)
  if(RSVG_CONVERT_EXECUTABLE)
    foreach(size 16 22 24 32 48 64 128 256)
      set(png ${deb_stage}/icons/${size}x${size}/ruvision.png)
      add_custom_command(OUTPUT ${png}
        COMMAND ${CMAKE_COMMAND} -E make_directory ${deb_stage}/icons/${size}x${size}
        COMMAND ${RSVG_CONVERT_EXECUTABLE} --width ${size} --height ${size} --output ${png}
                ${CMAKE_SOURCE_DIR}/resources/ruvision.svg
        DEPENDS ${CMAKE_SOURCE_DIR}/resources/ruvision.svg VERBATIM)
      list(APPEND deb_outputs ${png})
      install(FILES ${png} DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/${size}x${size}/apps)
    endforeach()
  else()
    message(WARNING "rsvg-convert (librsvg2-bin) is not installed: the package gets the scalable icon only. "
                    "Run packaging/quickstart.sh.")
  endif()

  # AppStream: the screenshots need web addresses, and RuVision has no web host yet. The default
  # base is under the reserved .invalid domain (RFC 2606), which never resolves: validate with
  # `appstreamcli validate --no-net`. Set the base once the screenshots are published.
  set(RUVISION_SCREENSHOT_URL_BASE "https://ruvision.invalid/screenshots" CACHE STRING
      "Where resources/screenshots/*.png are published, for the AppStream metadata")
  set(metainfo invalid.ruvision.ruvision.metainfo.xml)
  configure_file(${CMAKE_SOURCE_DIR}/resources/${metainfo}.in ${deb_stage}/${metainfo} @ONLY)
  install(FILES ${deb_stage}/${metainfo} DESTINATION ${CMAKE_INSTALL_DATADIR}/metainfo)
endif()

add_custom_target(package_files ALL DEPENDS ${deb_outputs})

# A stripped install (CPack's CPACK_STRIP_FILES, `cmake --install --strip`) also loses the sections
# dh_strip removes (.comment: the compiler's version; .note), which plain `strip` keeps. This
# directory is installed after app/, so the programs are in place.
set(stripped_programs ${CMAKE_INSTALL_BINDIR}/ruvision-cli ${CMAKE_INSTALL_LIBEXECDIR}/ruvision/ruvision-reader)
if(RUVISION_BUILD_GUI)
  list(APPEND stripped_programs ${CMAKE_INSTALL_BINDIR}/ruvision)
endif()
if(CMAKE_STRIP)
  install(CODE "
    if(CMAKE_INSTALL_DO_STRIP)
      foreach(program ${stripped_programs})
        execute_process(COMMAND \"${CMAKE_STRIP}\" --remove-section=.comment --remove-section=.note
                                \"\$ENV{DESTDIR}\${CMAKE_INSTALL_PREFIX}/\${program}\" COMMAND_ERROR_IS_FATAL ANY)
      endforeach()
    endif()")
endif()

# CPack: one binary package, its dependencies read from the shared libraries the programs link
# (dpkg-shlibdeps), the programs stripped.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME ruvision)
set(CPACK_PACKAGE_VENDOR RuVision)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT ${RUVISION_MAINTAINER})
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "find images that look alike in photo folders")
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
"RuVision indexes photo folders with a pretrained convolutional network that
runs on the CPU (its own SIMD kernels), and finds the images most like a given
one in an HNSW index, with a score that says how likely each result is the
same picture.

It finds near-duplicate groups, checked pixel by pixel, learns from the pairs
the user marks as the same picture, alike or different, and draws the
collection as a tree in the Poincare disk. It reads JPEG, PNG, WebP, TIFF,
BMP, HEIC, AVIF and the previews of camera RAW files.

The package holds the desktop program (ruvision), the command-line tool
(ruvision-cli) and two models converted from the npm packages nsfwjs
(MobileNetV2) and @vladmandic/human (MobileNetV3).")
set(CPACK_DEBIAN_PACKAGE_RELEASE 1)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION graphics)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# Not linked, loaded by Qt: the WebP and TIFF readers the thumbnails use.
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "qt6-image-formats-plugins")
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_DEBIAN_COMPRESSION_TYPE xz)
include(CPack)
