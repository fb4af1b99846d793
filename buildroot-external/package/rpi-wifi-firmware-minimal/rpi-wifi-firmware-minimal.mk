################################################################################
#
# rpi-wifi-firmware-minimal
#
################################################################################

# A commit of RPi-Distro/firmware-nonfree (branch bookworm) and two single files
# of it, not the repository's archive (hundreds of MB): the firmware and the
# Debian copyright file that holds its licence (binary-redist-Cypress).
RPI_WIFI_FIRMWARE_MINIMAL_VERSION = 223ccf3a3ddb11b3ea829749fbbba4d65b380897
RPI_WIFI_FIRMWARE_MINIMAL_RAW = https://raw.githubusercontent.com/RPi-Distro/firmware-nonfree/$(RPI_WIFI_FIRMWARE_MINIMAL_VERSION)/debian
RPI_WIFI_FIRMWARE_MINIMAL_SITE = $(RPI_WIFI_FIRMWARE_MINIMAL_RAW)/config/brcm80211/cypress
RPI_WIFI_FIRMWARE_MINIMAL_SOURCE = cyfmac43455-sdio-minimal.bin
RPI_WIFI_FIRMWARE_MINIMAL_EXTRA_DOWNLOADS = $(RPI_WIFI_FIRMWARE_MINIMAL_RAW)/copyright
RPI_WIFI_FIRMWARE_MINIMAL_LICENSE = PROPRIETARY (Cypress binary redistribution)
RPI_WIFI_FIRMWARE_MINIMAL_LICENSE_FILES = copyright
# Installed after the standard firmware, whose cyfmac43455-sdio.bin it replaces.
RPI_WIFI_FIRMWARE_MINIMAL_DEPENDENCIES = brcmfmac_sdio-firmware-rpi

define RPI_WIFI_FIRMWARE_MINIMAL_EXTRACT_CMDS
	cp $(RPI_WIFI_FIRMWARE_MINIMAL_DL_DIR)/$(RPI_WIFI_FIRMWARE_MINIMAL_SOURCE) \
		$(RPI_WIFI_FIRMWARE_MINIMAL_DL_DIR)/copyright $(@D)/
endef

# What Raspberry Pi OS's alternative "cyfmac43455-sdio.bin" does, as a link in the
# image: brcmfmac asks for brcm/brcmfmac43455-sdio[.<board>].bin, links to
# ../cypress/cyfmac43455-sdio.bin, which now points to the minimal firmware.
define RPI_WIFI_FIRMWARE_MINIMAL_INSTALL_TARGET_CMDS
	$(INSTALL) -D -m 0644 $(@D)/cyfmac43455-sdio-minimal.bin \
		$(TARGET_DIR)/lib/firmware/cypress/cyfmac43455-sdio-minimal.bin
	cd $(TARGET_DIR)/lib/firmware/cypress && \
		if [ -f cyfmac43455-sdio.bin ] && [ ! -L cyfmac43455-sdio.bin ]; then \
			mv cyfmac43455-sdio.bin cyfmac43455-sdio-standard.bin; \
		fi && \
		ln -sf cyfmac43455-sdio-minimal.bin cyfmac43455-sdio.bin
endef

$(eval $(generic-package))
