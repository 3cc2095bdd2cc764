/** @odoo-module */

/**
 * The device's outbox: reports kept in IndexedDB until the server has them.
 * One database per Odoo database and user, one store "reports" keyed by the
 * report's device id.
 */
const STORE = "reports";

function promisify(request) {
    return new Promise((resolve, reject) => {
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
    });
}

export class OutboxDB {
    constructor(name) {
        this.name = name;
        this._db = null;
    }

    async open() {
        if (!this._db) {
            const request = indexedDB.open(this.name, 1);
            request.onupgradeneeded = () => {
                const db = request.result;
                if (!db.objectStoreNames.contains(STORE)) {
                    db.createObjectStore(STORE, { keyPath: "device_uuid" });
                }
            };
            this._db = await promisify(request);
        }
        return this._db;
    }

    async _store(mode) {
        const db = await this.open();
        return db.transaction(STORE, mode).objectStore(STORE);
    }

    /** Every report, oldest first. */
    async all() {
        const reports = await promisify((await this._store("readonly")).getAll());
        return reports.sort((a, b) => a.created_at - b.created_at);
    }

    async get(uuid) {
        return promisify((await this._store("readonly")).get(uuid));
    }

    async put(report) {
        // The write is durable once the transaction completes.
        const store = await this._store("readwrite");
        const done = new Promise((resolve, reject) => {
            store.transaction.oncomplete = () => resolve();
            store.transaction.onerror = () => reject(store.transaction.error);
            store.transaction.onabort = () => reject(store.transaction.error);
        });
        store.put(report);
        await done;
    }

    async delete(uuid) {
        const store = await this._store("readwrite");
        const done = new Promise((resolve, reject) => {
            store.transaction.oncomplete = () => resolve();
            store.transaction.onerror = () => reject(store.transaction.error);
        });
        store.delete(uuid);
        await done;
    }
}

/** A report id made on the device: 32 hex characters from the secure random
 * generator (crypto.randomUUID needs HTTPS, a handheld on the LAN may not). */
export function newDeviceUuid() {
    const bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}
