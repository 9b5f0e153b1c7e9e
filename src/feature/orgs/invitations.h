/* invitations.h - inviting people into an organization by email.
 *
 * An administrator invites an address with the rights the person will have.
 * The invitation is a single-use link valid INVITATION_TTL_S, mailed in the
 * invitee's language when the address has an account, else in the inviting
 * administrator's; the store keeps only the SHA-256 of its token. Accepting
 * while signed in with that address joins the organization; without an
 * account, accepting creates one (already verified: the link proves the
 * address) and joins. Every step is in the organization's audit log. */
#ifndef SALDO_INVITATIONS_H
#define SALDO_INVITATIONS_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "feature/auth/auth.h"
#include "feature/orgs/members.h"
#include "feature/orgs/orgs.h"
#include "http/http.h"

enum { INVITATION_TTL_S = 7 * 86400, INVITATIONS_PENDING_MAX = 200 };

typedef enum {
    INVITE_OK,
    INVITE_NOT_FOUND,      /* unknown, used, cancelled or expired (or another organization's) */
    INVITE_ALREADY_MEMBER, /* the address (or the signed-in user) is a member already */
    INVITE_TOO_MANY,       /* INVITATIONS_PENDING_MAX pending already */
    INVITE_WRONG_EMAIL,    /* signed in with another address than the invited one */
    INVITE_EMAIL_TAKEN,    /* not signed in, but the address has an account: sign in first */
    INVITE_STORE_ERROR,
    INVITE_RESULT_COUNT
} invite_result;

/* r->user_id (an administrator of org_id, checked by the caller) invites email
 * (lowercased) with rights, in one transaction: a pending invitation of the
 * same address is replaced, the mail is queued, "invitation.sent" audited. */
invite_result invitation_create(http_request *r, int64_t org_id, const char *email, const member_rights *rights,
                                int64_t *id);
/* Cancels org_id's pending invitation id ("invitation.cancelled"). */
invite_result invitation_cancel(http_request *r, int64_t org_id, int64_t id);
/* [{id, email, role, billing, access, created_at, expires_at, invited_by}] of
 * org_id's pending invitations, oldest first; NULL on a store error. */
json_t *invitations_pending_json(http_request *r, int64_t org_id);

/* A pending invitation as its landing page shows it; strings in the arena. */
typedef struct invitation_view {
    int64_t id, org_id, expires_at;
    const char *email, *org_name, *inviter_name;
    member_rights rights;
    bool has_account; /* the invited address has an account already */
} invitation_view;

/* The pending invitation of token; INVITE_NOT_FOUND or INVITE_STORE_ERROR. */
invite_result invitation_lookup(http_request *r, const char *token, invitation_view *out);
/* Accepts token's invitation, in one transaction. Signed in (user_id > 0):
 * the user's email must be the invited one. Not signed in (user_id 0):
 * account (its email ignored; password already checked) creates the invited
 * address's account. *joined_user gets the member's id, *out the invitation. */
invite_result invitation_accept(http_request *r, const char *token, int64_t user_id, const auth_signup_in *account,
                                int64_t *joined_user, invitation_view *out);

#endif
