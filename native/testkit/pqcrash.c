#include "pqcrash.h"

#include <stddef.h>

int pqs_crash_for_testing(int really)
{
    volatile int *volatile nowhere = NULL;
    return really ? *nowhere : 0;
}
