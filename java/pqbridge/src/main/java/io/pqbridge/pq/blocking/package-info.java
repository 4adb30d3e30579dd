/**
 * The blocking layer both backends share: {@link io.pqbridge.pq.blocking.BlockingLayer} (the
 * lock, slices, events, finish, the leak safety net) over a backend's
 * {@link io.pqbridge.pq.blocking.BackendSteps}. Not API: the module exports this package only to
 * the native backend's module.
 */
package io.pqbridge.pq.blocking;
