// The TsanHandOff channels of LibraryService's two pools, shared by the files that define its
// members (LibraryService.cpp, learning/ServiceLearning.cpp), so that the destructor's wait on a
// pool orders every task started on it, whichever file started it.
#pragma once

namespace rv::ui {

inline char serviceWriterChannel = 0, serviceReaderChannel = 0;

}  // namespace rv::ui
