/** @odoo-module */

export const PHOTO_MAX_SIDE = 1600;
export const PHOTO_QUALITY = 0.8;

function loadImage(file) {
    return new Promise((resolve, reject) => {
        const url = URL.createObjectURL(file);
        const image = new Image();
        image.onload = () => {
            URL.revokeObjectURL(url);
            resolve(image);
        };
        image.onerror = () => {
            URL.revokeObjectURL(url);
            reject(new Error("not an image"));
        };
        image.src = url;
    });
}

/**
 * A camera photo made small enough to keep on the device and send over a dock's
 * Wi-Fi: longest side at most 1600 px, JPEG at quality 0.8.
 * @param {File} file
 * @returns {Promise<{name: string, mimetype: string, data: string, preview: string}>}
 *  data is base64 without the "data:" prefix.
 */
export async function downscalePhoto(file) {
    const image = await loadImage(file);
    const scale = Math.min(1, PHOTO_MAX_SIDE / Math.max(image.naturalWidth, image.naturalHeight));
    const canvas = document.createElement("canvas");
    canvas.width = Math.max(1, Math.round(image.naturalWidth * scale));
    canvas.height = Math.max(1, Math.round(image.naturalHeight * scale));
    const context = canvas.getContext("2d");
    // JPEG has no transparency: a white background, not black.
    context.fillStyle = "#fff";
    context.fillRect(0, 0, canvas.width, canvas.height);
    context.drawImage(image, 0, 0, canvas.width, canvas.height);
    const dataUrl = canvas.toDataURL("image/jpeg", PHOTO_QUALITY);
    const baseName = (file.name || "photo").replace(/\.[^.]*$/, "");
    return {
        name: `${baseName}.jpg`,
        mimetype: "image/jpeg",
        data: dataUrl.slice(dataUrl.indexOf(",") + 1),
    };
}
