/* prctl() options Folio knows (Linux: include/uapi/linux/prctl.h). */
#ifndef _UAPI_PRCTL_H
#define _UAPI_PRCTL_H

#define PR_SET_NAME 15
#define PR_GET_NAME 16
#define PR_SET_CHILD_SUBREAPER 36
#define PR_GET_CHILD_SUBREAPER 37

#endif
