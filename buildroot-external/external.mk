include $(sort $(wildcard $(BR2_EXTERNAL_WHEREFLOW_PATH)/package/*/*.mk))
