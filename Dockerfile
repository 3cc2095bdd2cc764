# The official Odoo 17 image with the Python packages the suite's modules need:
# the OCA modules its bridges depend on (the odoo-addon-* lines of requirements.txt).
# They are installed without dependencies: Odoo itself comes with the image.
FROM odoo:17
USER root
COPY requirements.txt /tmp/logistics-requirements.txt
RUN grep -E '^odoo-addon-' /tmp/logistics-requirements.txt >/tmp/logistics-addons.txt \
    && PIP_BREAK_SYSTEM_PACKAGES=1 pip3 install --no-cache-dir --no-deps -r /tmp/logistics-addons.txt \
    && rm /tmp/logistics-requirements.txt /tmp/logistics-addons.txt
USER odoo
