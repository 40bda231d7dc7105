// ruvision-reader: the process RuVision runs libheif and libraw in (engine/src/image/
// ReaderProcess.h), started afresh for each HEIF or camera RAW file, never by a person.
#include "image/ReaderProcess.h"

int main(int argc, char** argv) { return rv::reader_helper_main(argc, argv); }
