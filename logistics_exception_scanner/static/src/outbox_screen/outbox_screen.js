/** @odoo-module */

import { Component, useState } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { ConfirmationDialog } from "@web/core/confirmation_dialog/confirmation_dialog";
import { useService } from "@web/core/utils/hooks";

const { DateTime } = luxon;

/** The reports kept on this device: send them again, fix or discard them. */
export class OutboxScreen extends Component {
    static template = "logistics_exception_scanner.OutboxScreen";
    static props = ["*"];

    setup() {
        this.scanner = useService("logistics_exception_scanner");
        this.dialog = useService("dialog");
        this.outbox = useState(this.scanner.state);
    }

    get title() {
        return _t("Outbox");
    }

    onBack() {
        this.props.navigate("home");
    }

    describe(report) {
        const draft = report.draft || {};
        return [draft.reason?.name, draft.product?.product_name, draft.document?.name]
            .filter(Boolean)
            .join(" · ");
    }

    when(report) {
        return DateTime.fromMillis(report.created_at).toLocaleString(DateTime.DATETIME_SHORT);
    }

    sendAll() {
        return this.scanner.flush();
    }

    retry(report) {
        return this.scanner.retry(report.device_uuid);
    }

    async fix(report) {
        const stored = await this.scanner.get(report.device_uuid);
        if (!stored) {
            return;
        }
        this.props.navigate("report", {
            draft: stored.draft,
            photos: stored.values.photos || [],
            uuid: stored.device_uuid,
            error: stored.error,
        });
    }

    discard(report) {
        this.dialog.add(ConfirmationDialog, {
            title: _t("Discard this report?"),
            body: _t(
                "%s will be deleted from this device and never sent. This cannot be undone.",
                this.describe(report) || _t("This report")
            ),
            confirmLabel: _t("Discard"),
            confirm: () => this.scanner.discard(report.device_uuid),
            cancel: () => {},
        });
    }
}
