include $(sort $(wildcard $(BR2_EXTERNAL_WHEREFLOW_PATH)/package/*/*.mk))

# The MT7610U USB adapters' firmware (mt76x0u asks for mediatek/mt7610u.bin): Buildroot's
# linux-firmware has an option for the PCIe MT7610E only, so its USB sibling is added to
# that option's file list (same licence file, LICENCE.ralink_a_mediatek_company_firmware).
ifeq ($(BR2_PACKAGE_LINUX_FIRMWARE_MEDIATEK_MT7610E),y)
LINUX_FIRMWARE_FILES += mediatek/mt7610u.bin
endif
