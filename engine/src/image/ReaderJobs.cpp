// The readers a reader process can run (ReaderProcess.h), by name.
#include <cstring>

#include "image/HeifDecode.h"
#include "image/RawDecode.h"
#include "image/ReaderProcess.h"

namespace rv {

std::vector<std::uint8_t> reader_answer(const ReaderJob& job) {
    if (job.kind == "heif") return heif_reader_answer(job.input, job.input_size, job.args);
    if (job.kind == "raw") return raw_reader_answer(job.input, job.input_size);
    // An answer no reader's decoder accepts: the caller reports it as garbled.
    const std::string m = "no reader named '" + job.kind + "'";
    std::vector<std::uint8_t> out(1 + m.size());
    out[0] = 'X';
    std::memcpy(out.data() + 1, m.data(), m.size());
    return out;
}

}  // namespace rv
