/** @odoo-module */

import { reactive } from "@odoo/owl";
import { browser } from "@web/core/browser/browser";
import { _t } from "@web/core/l10n/translation";
import { serializeDateTime } from "@web/core/l10n/dates";
import { ConnectionLostError, RPCError } from "@web/core/network/rpc_service";
import { registry } from "@web/core/registry";
import { session } from "@web/session";
import { OutboxDB, newDeviceUuid } from "./outbox_db";

const { DateTime } = luxon;

const MODEL = "logistics.exception.scanner";
const RETRY_DELAY_MS = 30000;
// Server refusals: the report is wrong, sending it again changes nothing.
const REFUSALS = [
    "odoo.exceptions.UserError",
    "odoo.exceptions.ValidationError",
    "odoo.exceptions.AccessError",
    "odoo.exceptions.MissingError",
];

/** True when the server refused the request for a reason the user can fix. */
export function isRefusal(error) {
    return error instanceof RPCError && REFUSALS.includes(error.data?.name);
}

/** The sentence to show for an error of a scanner call. */
export function errorMessage(error) {
    if (error instanceof ConnectionLostError) {
        return _t("No network: move closer to a Wi-Fi access point and try again.");
    }
    if (error instanceof RPCError) {
        return error.data?.message || error.message;
    }
    return error?.message || String(error);
}

export const logisticsExceptionScannerService = {
    dependencies: ["orm", "user"],

    start(env, { orm, user }) {
        const state = reactive({
            // Reports waiting on this device, oldest first.
            outbox: [],
            sending: false,
            ready: false,
        });
        let db = null;
        let timer = null;
        let running = Promise.resolve();
        let started = false;

        function call(method, args = []) {
            return orm.silent.call(MODEL, method, args);
        }

        /** Runs fn after every send already under way (one send at a time). */
        function exclusive(fn) {
            const next = running.then(fn, fn);
            running = next.catch(() => {});
            return next;
        }

        async function reload() {
            state.outbox = await db.all();
        }

        function schedule() {
            browser.clearTimeout(timer);
            timer = null;
            if (state.outbox.some((report) => report.state === "pending")) {
                timer = browser.setTimeout(() => flush(), RETRY_DELAY_MS);
            }
        }

        /** Sends one report; returns "sent", "refused" or "pending". */
        async function sendOne(report) {
            report.attempts = (report.attempts || 0) + 1;
            report.last_try = Date.now();
            try {
                const result = await call("submit_report", [report.values]);
                await db.delete(report.device_uuid);
                report.state = "sent";
                report.result = result;
                return "sent";
            } catch (error) {
                if (error instanceof ConnectionLostError) {
                    report.state = "pending";
                    report.error = false;
                } else if (isRefusal(error)) {
                    report.state = "refused";
                    report.error = errorMessage(error);
                } else {
                    // A server fault, not the report's: try again later.
                    report.state = "pending";
                    report.error = errorMessage(error);
                }
                await db.put(report);
                return report.state;
            }
        }

        /** Sends the pending reports, oldest first, until the network fails. */
        function flush() {
            return exclusive(async () => {
                if (!db) {
                    return {};
                }
                const outcomes = {};
                state.sending = true;
                try {
                    for (const report of await db.all()) {
                        if (report.state !== "pending") {
                            continue;
                        }
                        const outcome = await sendOne(report);
                        outcomes[report.device_uuid] = report;
                        if (outcome === "pending" && !report.error) {
                            // Connection lost: the next ones would fail too.
                            break;
                        }
                    }
                } finally {
                    state.sending = false;
                    await reload();
                    schedule();
                }
                return outcomes;
            });
        }

        const service = {
            state,
            call,
            newDeviceUuid,

            /** Opens the outbox of this database and user and sends what waits. */
            async init() {
                if (started) {
                    return;
                }
                started = true;
                db = new OutboxDB(`logistics_exception_scanner:${session.db}:${user.userId}`);
                await reload();
                state.ready = true;
                browser.addEventListener("online", () => flush());
                flush();
            },

            /**
             * Keeps the report on the device, then sends it (after older ones).
             * @param {Object} values submit_report's values, device_uuid included
             * @param {Object} draft what the report screens need to reload it
             * @returns {Promise<Object>} the report: state "sent" (with result),
             *  "pending" (kept for later) or "refused" (with error)
             */
            async submit(values, draft) {
                // Plain copies: IndexedDB cannot keep the screens' reactive proxies.
                values = JSON.parse(JSON.stringify(values));
                draft = JSON.parse(JSON.stringify(draft));
                const existing = await db.get(values.device_uuid);
                const report = {
                    device_uuid: values.device_uuid,
                    created_at: existing?.created_at || Date.now(),
                    state: "pending",
                    error: false,
                    attempts: existing?.attempts || 0,
                    values: {
                        ...values,
                        reported_at: values.reported_at || serializeDateTime(DateTime.now()),
                    },
                    draft,
                };
                await db.put(report);
                await reload();
                const outcomes = await flush();
                return (
                    outcomes[report.device_uuid] ||
                    (await db.get(report.device_uuid)) || { ...report, state: "sent" }
                );
            },

            flush,

            async retry(uuid) {
                const report = await db.get(uuid);
                if (report) {
                    report.state = "pending";
                    report.error = false;
                    await db.put(report);
                }
                return flush();
            },

            async get(uuid) {
                return db.get(uuid);
            },

            async discard(uuid) {
                await exclusive(() => db.delete(uuid));
                await reload();
                schedule();
            },

            get pendingCount() {
                return state.outbox.length;
            },
        };
        return service;
    },
};

registry.category("services").add("logistics_exception_scanner", logisticsExceptionScannerService);
