// Work handed to another thread through Qt, marked for ThreadSanitizer.
//
// Qt orders everything a thread did before QThreadPool::start() or QCoreApplication::postEvent()
// before the task or event runs on the other thread, with locks inside Qt. Debian's Qt is not
// built with ThreadSanitizer, so TSan cannot see those locks and reports a task's captures as
// racing with their construction. startTask() and postCall() hand work over exactly as
// QThreadPool::start(f) and a queued call do, and mark the order Qt gives: a release on the
// channel once the work is fully built, an acquire before it reads anything. One channel per
// pool and one for the GUI thread's queue, as Qt has one queue lock per pool and per thread.
// Without ThreadSanitizer the marks compile to nothing.
#pragma once

#include <QCoreApplication>
#include <QEvent>
#include <QRunnable>
#include <QThreadPool>

#include <functional>
#include <type_traits>
#include <utility>

#if defined(__SANITIZE_THREAD__)
#define RUVISION_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define RUVISION_TSAN 1
#endif
#endif

#ifdef RUVISION_TSAN
extern "C" void __tsan_acquire(void* addr);
extern "C" void __tsan_release(void* addr);
#endif

namespace rv::ui {

inline void tsanRelease([[maybe_unused]] char* channel) {
#ifdef RUVISION_TSAN
    __tsan_release(channel);
#endif
}

inline void tsanAcquire([[maybe_unused]] char* channel) {
#ifdef RUVISION_TSAN
    __tsan_acquire(channel);
#endif
}

// The channel of calls queued to the GUI thread (postCall()).
inline char guiQueueChannel = 0;

// pool.start(f), with the hand-off marked on Channel (one per pool). A QRunnable of our own
// (not QRunnable::create), so that nothing of the task is read before the acquire: Qt only calls
// run() and deletes it.
template <char* Channel, class F>
class HandedOffTask : public QRunnable {
public:
    explicit HandedOffTask(F f) : f_(std::move(f)) {}
    void run() override {
        tsanAcquire(Channel);
        f_();
        tsanRelease(Channel);  // for waitForDone() (see waitForTasks())
    }

private:
    F f_;
};

template <char* Channel, class F>
void startTask(QThreadPool& pool, F&& f) {
    QRunnable* task = new HandedOffTask<Channel, std::decay_t<F>>(std::forward<F>(f));
    tsanRelease(Channel);
    pool.start(task);
}

// pool.waitForDone(), after which everything the pool's tasks (on Channel) did is ordered
// before what follows.
template <char* Channel>
void waitForTasks(QThreadPool& pool) {
    pool.waitForDone();
    tsanAcquire(Channel);
}

// A call queued to an object on the GUI thread by postCall(); the receiver's event() runs it
// with runPostedCall(). Like a queued invokeMethod, it is dropped if the receiver is destroyed
// first.
class PostedCall : public QEvent {
public:
    explicit PostedCall(std::function<void()> f) : QEvent(kind()), call_(std::move(f)) {}
    static QEvent::Type kind() {
        static const auto type = static_cast<QEvent::Type>(QEvent::registerEventType());
        return type;
    }

private:
    friend bool runPostedCall(QEvent* e);
    std::function<void()> call_;
};

// Any thread: queues f to `receiver` (which lives on the GUI thread).
template <class F>
void postCall(QObject* receiver, F&& f) {
    auto* e = new PostedCall(std::forward<F>(f));
    tsanRelease(&guiQueueChannel);
    QCoreApplication::postEvent(receiver, e);
}

// GUI thread, from the receiver's event(): runs a PostedCall and returns true, or returns false
// for any other event.
inline bool runPostedCall(QEvent* e) {
    tsanAcquire(&guiQueueChannel);  // before reading the event (an acquire more is harmless)
    if (e->type() != PostedCall::kind()) return false;
    static_cast<PostedCall*>(e)->call_();
    return true;
}

}  // namespace rv::ui
