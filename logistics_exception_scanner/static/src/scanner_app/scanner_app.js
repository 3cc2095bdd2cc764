/** @odoo-module */

import { Component, onWillStart, useState } from "@odoo/owl";
import { browser } from "@web/core/browser/browser";
import { ConnectionLostError } from "@web/core/network/rpc_service";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { session } from "@web/session";
import { ExceptionDetail } from "../exception_detail/exception_detail";
import { OutboxScreen } from "../outbox_screen/outbox_screen";
import { QueueScreen } from "../queue_screen/queue_screen";
import { ReportFlow } from "../report_flow/report_flow";
import { ScannerHome } from "../scanner_home/scanner_home";

/**
 * The Exception Scanner: a full-screen app for a phone or a handheld, one
 * screen at a time (home, report, queue, exception, outbox).
 */
export class ScannerApp extends Component {
    static template = "logistics_exception_scanner.ScannerApp";
    static components = { ScannerHome, ReportFlow, QueueScreen, ExceptionDetail, OutboxScreen };
    static props = ["*"];

    setup() {
        this.scanner = useService("logistics_exception_scanner");
        this.outbox = useState(this.scanner.state);
        this.state = useState({
            screen: "home",
            screenProps: {},
            // Remounts the screen when the same screen is opened again.
            key: 1,
            session: null,
        });
        onWillStart(async () => {
            await this.scanner.init();
            await this.loadSession();
        });
    }

    get sessionCacheKey() {
        return `logistics_exception_scanner:session:${session.db}:${session.uid}`;
    }

    /** The session, or the last one seen on this device when offline. */
    async loadSession() {
        try {
            this.state.session = await this.scanner.call("load_session");
            browser.localStorage.setItem(this.sessionCacheKey, JSON.stringify(this.state.session));
        } catch (error) {
            const cached = browser.localStorage.getItem(this.sessionCacheKey);
            if (!(error instanceof ConnectionLostError) || !cached) {
                throw error;
            }
            this.state.session = JSON.parse(cached);
        }
    }

    navigate(screen, screenProps = {}) {
        this.state.screen = screen;
        this.state.screenProps = screenProps;
        this.state.key++;
        if (screen === "home") {
            this.loadSession().catch(() => {});
        }
    }

    get screenProps() {
        return {
            ...this.state.screenProps,
            session: this.state.session,
            navigate: this.navigate.bind(this),
        };
    }
}

registry.category("actions").add("logistics_exception_scanner", ScannerApp);
