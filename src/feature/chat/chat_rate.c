/* chat_rate.c - at most CHAT_RATE_COUNT messages per chat in any
 * CHAT_RATE_WINDOW_S seconds, counted in memory on this node (a burst spread
 * over several nodes gets their sum: enough against a stuck client or a
 * flood). A table of recent chats, one slot per chat id modulo its size; a
 * chat taking the slot of another starts a fresh count. */
#include "feature/chat/chat_internal.h"

#include <pthread.h>

enum { RATE_SLOTS = 1024 };

typedef struct rate_slot {
    int64_t chat_id;
    int64_t at[CHAT_RATE_COUNT]; /* the times of the last messages, a ring */
    unsigned next;
} rate_slot;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static rate_slot slots[RATE_SLOTS];

bool chat_rate_take(int64_t chat_id, int64_t now)
{
    pthread_mutex_lock(&lock);
    rate_slot *s = &slots[(uint64_t)chat_id % RATE_SLOTS];
    if (s->chat_id != chat_id)
        *s = (rate_slot){.chat_id = chat_id};
    /* The oldest of the last CHAT_RATE_COUNT is where the next one goes. */
    bool ok = s->at[s->next] == 0 || now - s->at[s->next] >= CHAT_RATE_WINDOW_S;
    if (ok) {
        s->at[s->next] = now;
        s->next = (s->next + 1) % CHAT_RATE_COUNT;
    }
    pthread_mutex_unlock(&lock);
    return ok;
}
