//! compute: `google_compute_address`, `google_compute_attached_disk`, `google_compute_autoscaler`, `google_compute_backend_bucket`, `google_compute_backend_bucket_signed_url_key`, `google_compute_backend_service`, `google_compute_backend_service_signed_url_key`, `google_compute_disk`, `google_compute_disk_async_replication`, `google_compute_disk_iam_binding`, `google_compute_disk_iam_member`, `google_compute_disk_iam_policy`, `google_compute_disk_resource_policy_attachment`, `google_compute_external_vpn_gateway`, `google_compute_firewall`, `google_compute_firewall_policy`, `google_compute_firewall_policy_association`, `google_compute_firewall_policy_rule`, `google_compute_firewall_policy_with_rules`, `google_compute_forwarding_rule`, `google_compute_global_address`, `google_compute_global_forwarding_rule`, `google_compute_global_network_endpoint`, `google_compute_global_network_endpoint_group`, `google_compute_ha_vpn_gateway`, `google_compute_health_check`, `google_compute_http_health_check`, `google_compute_https_health_check`, `google_compute_image`, `google_compute_image_iam_binding`, `google_compute_image_iam_member`, `google_compute_image_iam_policy`, `google_compute_instance`, `google_compute_instance_from_template`, `google_compute_instance_group`, `google_compute_instance_group_manager`, `google_compute_instance_group_membership`, `google_compute_instance_group_named_port`, `google_compute_instance_iam_binding`, `google_compute_instance_iam_member`, `google_compute_instance_iam_policy`, `google_compute_instance_settings`, `google_compute_instance_template`, `google_compute_instance_template_iam_binding`, `google_compute_instance_template_iam_member`, `google_compute_instance_template_iam_policy`, `google_compute_instant_snapshot`, `google_compute_instant_snapshot_iam_binding`, `google_compute_instant_snapshot_iam_member`, `google_compute_instant_snapshot_iam_policy`, `google_compute_interconnect`, `google_compute_interconnect_attachment`, `google_compute_interconnect_attachment_group`, `google_compute_interconnect_group`, `google_compute_managed_ssl_certificate`, `google_compute_network`, `google_compute_network_attachment`, `google_compute_network_endpoint`, `google_compute_network_endpoint_group`, `google_compute_network_endpoints`, `google_compute_network_firewall_policy`, `google_compute_network_firewall_policy_association`, `google_compute_network_firewall_policy_rule`, `google_compute_network_firewall_policy_with_rules`, `google_compute_network_peering`, `google_compute_network_peering_routes_config`, `google_compute_node_group`, `google_compute_node_template`, `google_compute_packet_mirroring`, `google_compute_per_instance_config`, `google_compute_project_cloud_armor_tier`, `google_compute_project_default_network_tier`, `google_compute_project_metadata`, `google_compute_project_metadata_item`, `google_compute_public_advertised_prefix`, `google_compute_public_delegated_prefix`, `google_compute_region_autoscaler`, `google_compute_region_backend_service`, `google_compute_region_commitment`, `google_compute_region_disk`, `google_compute_region_disk_iam_binding`, `google_compute_region_disk_iam_member`, `google_compute_region_disk_iam_policy`, `google_compute_region_disk_resource_policy_attachment`, `google_compute_region_health_check`, `google_compute_region_instance_group_manager`, `google_compute_region_instance_template`, `google_compute_region_network_endpoint`, `google_compute_region_network_endpoint_group`, `google_compute_region_network_firewall_policy`, `google_compute_region_network_firewall_policy_association`, `google_compute_region_network_firewall_policy_rule`, `google_compute_region_network_firewall_policy_with_rules`, `google_compute_region_per_instance_config`, `google_compute_region_security_policy`, `google_compute_region_security_policy_rule`, `google_compute_region_ssl_certificate`, `google_compute_region_ssl_policy`, `google_compute_region_target_http_proxy`, `google_compute_region_target_https_proxy`, `google_compute_region_target_tcp_proxy`, `google_compute_region_url_map`, `google_compute_reservation`, `google_compute_resize_request`, `google_compute_resource_policy`, `google_compute_resource_policy_attachment`, `google_compute_route`, `google_compute_router`, `google_compute_router_interface`, `google_compute_router_nat`, `google_compute_router_nat_address`, `google_compute_router_peer`, `google_compute_router_route_policy`, `google_compute_security_policy`, `google_compute_security_policy_rule`, `google_compute_service_attachment`, `google_compute_shared_vpc_host_project`, `google_compute_shared_vpc_service_project`, `google_compute_snapshot`, `google_compute_snapshot_iam_binding`, `google_compute_snapshot_iam_member`, `google_compute_snapshot_iam_policy`, `google_compute_snapshot_settings`, `google_compute_ssl_certificate`, `google_compute_ssl_policy`, `google_compute_storage_pool`, `google_compute_storage_pool_iam_binding`, `google_compute_storage_pool_iam_member`, `google_compute_storage_pool_iam_policy`, `google_compute_subnetwork`, `google_compute_subnetwork_iam_binding`, `google_compute_subnetwork_iam_member`, `google_compute_subnetwork_iam_policy`, `google_compute_target_grpc_proxy`, `google_compute_target_http_proxy`, `google_compute_target_https_proxy`, `google_compute_target_instance`, `google_compute_target_pool`, `google_compute_target_ssl_proxy`, `google_compute_target_tcp_proxy`, `google_compute_url_map`, `google_compute_vpn_gateway`, `google_compute_vpn_tunnel`, `google_compute_address`, `google_compute_addresses`, `google_compute_backend_bucket`, `google_compute_backend_service`, `google_compute_default_service_account`, `google_compute_disk`, `google_compute_disk_iam_policy`, `google_compute_forwarding_rule`, `google_compute_forwarding_rules`, `google_compute_global_address`, `google_compute_global_forwarding_rule`, `google_compute_ha_vpn_gateway`, `google_compute_health_check`, `google_compute_image`, `google_compute_image_iam_policy`, `google_compute_images`, `google_compute_instance`, `google_compute_instance_group`, `google_compute_instance_group_manager`, `google_compute_instance_guest_attributes`, `google_compute_instance_iam_policy`, `google_compute_instance_serial_port`, `google_compute_instance_template`, `google_compute_instance_template_iam_policy`, `google_compute_instant_snapshot_iam_policy`, `google_compute_lb_ip_ranges`, `google_compute_machine_types`, `google_compute_network`, `google_compute_network_attachment`, `google_compute_network_endpoint_group`, `google_compute_network_peering`, `google_compute_networks`, `google_compute_node_types`, `google_compute_region_backend_service`, `google_compute_region_disk`, `google_compute_region_disk_iam_policy`, `google_compute_region_instance_group`, `google_compute_region_instance_group_manager`, `google_compute_region_instance_template`, `google_compute_region_network_endpoint_group`, `google_compute_region_ssl_certificate`, `google_compute_region_ssl_policy`, `google_compute_regions`, `google_compute_reservation`, `google_compute_resource_policy`, `google_compute_router`, `google_compute_router_nat`, `google_compute_router_status`, `google_compute_security_policy`, `google_compute_snapshot`, `google_compute_snapshot_iam_policy`, `google_compute_ssl_certificate`, `google_compute_ssl_policy`, `google_compute_storage_pool_iam_policy`, `google_compute_storage_pool_types`, `google_compute_subnetwork`, `google_compute_subnetwork_iam_policy`, `google_compute_subnetworks`, `google_compute_vpn_gateway`, `google_compute_zones`.
//!
//! Generated by terrane-codegen; do not edit.

#[rustfmt::skip]
mod address;
pub use address::*;

#[rustfmt::skip]
mod attached_disk;
pub use attached_disk::*;

#[rustfmt::skip]
mod autoscaler;
pub use autoscaler::*;

#[rustfmt::skip]
mod backend_bucket;
pub use backend_bucket::*;

#[rustfmt::skip]
mod backend_bucket_signed_url_key;
pub use backend_bucket_signed_url_key::*;

#[rustfmt::skip]
mod backend_service;
pub use backend_service::*;

#[rustfmt::skip]
mod backend_service_signed_url_key;
pub use backend_service_signed_url_key::*;

#[rustfmt::skip]
mod disk;
pub use disk::*;

#[rustfmt::skip]
mod disk_async_replication;
pub use disk_async_replication::*;

#[rustfmt::skip]
mod disk_iam_binding;
pub use disk_iam_binding::*;

#[rustfmt::skip]
mod disk_iam_member;
pub use disk_iam_member::*;

#[rustfmt::skip]
mod disk_iam_policy;
pub use disk_iam_policy::*;

#[rustfmt::skip]
mod disk_resource_policy_attachment;
pub use disk_resource_policy_attachment::*;

#[rustfmt::skip]
mod external_vpn_gateway;
pub use external_vpn_gateway::*;

#[rustfmt::skip]
mod firewall;
pub use firewall::*;

#[rustfmt::skip]
mod firewall_policy;
pub use firewall_policy::*;

#[rustfmt::skip]
mod firewall_policy_association;
pub use firewall_policy_association::*;

#[rustfmt::skip]
mod firewall_policy_rule;
pub use firewall_policy_rule::*;

#[rustfmt::skip]
mod firewall_policy_with_rules;
pub use firewall_policy_with_rules::*;

#[rustfmt::skip]
mod forwarding_rule;
pub use forwarding_rule::*;

#[rustfmt::skip]
mod global_address;
pub use global_address::*;

#[rustfmt::skip]
mod global_forwarding_rule;
pub use global_forwarding_rule::*;

#[rustfmt::skip]
mod global_network_endpoint;
pub use global_network_endpoint::*;

#[rustfmt::skip]
mod global_network_endpoint_group;
pub use global_network_endpoint_group::*;

#[rustfmt::skip]
mod ha_vpn_gateway;
pub use ha_vpn_gateway::*;

#[rustfmt::skip]
mod health_check;
pub use health_check::*;

#[rustfmt::skip]
mod http_health_check;
pub use http_health_check::*;

#[rustfmt::skip]
mod https_health_check;
pub use https_health_check::*;

#[rustfmt::skip]
mod image;
pub use image::*;

#[rustfmt::skip]
mod image_iam_binding;
pub use image_iam_binding::*;

#[rustfmt::skip]
mod image_iam_member;
pub use image_iam_member::*;

#[rustfmt::skip]
mod image_iam_policy;
pub use image_iam_policy::*;

#[rustfmt::skip]
mod instance;
pub use instance::*;

#[rustfmt::skip]
mod instance_from_template;
pub use instance_from_template::*;

#[rustfmt::skip]
mod instance_group;
pub use instance_group::*;

#[rustfmt::skip]
mod instance_group_manager;
pub use instance_group_manager::*;

#[rustfmt::skip]
mod instance_group_membership;
pub use instance_group_membership::*;

#[rustfmt::skip]
mod instance_group_named_port;
pub use instance_group_named_port::*;

#[rustfmt::skip]
mod instance_iam_binding;
pub use instance_iam_binding::*;

#[rustfmt::skip]
mod instance_iam_member;
pub use instance_iam_member::*;

#[rustfmt::skip]
mod instance_iam_policy;
pub use instance_iam_policy::*;

#[rustfmt::skip]
mod instance_settings;
pub use instance_settings::*;

#[rustfmt::skip]
mod instance_template;
pub use instance_template::*;

#[rustfmt::skip]
mod instance_template_iam_binding;
pub use instance_template_iam_binding::*;

#[rustfmt::skip]
mod instance_template_iam_member;
pub use instance_template_iam_member::*;

#[rustfmt::skip]
mod instance_template_iam_policy;
pub use instance_template_iam_policy::*;

#[rustfmt::skip]
mod instant_snapshot;
pub use instant_snapshot::*;

#[rustfmt::skip]
mod instant_snapshot_iam_binding;
pub use instant_snapshot_iam_binding::*;

#[rustfmt::skip]
mod instant_snapshot_iam_member;
pub use instant_snapshot_iam_member::*;

#[rustfmt::skip]
mod instant_snapshot_iam_policy;
pub use instant_snapshot_iam_policy::*;

#[rustfmt::skip]
mod interconnect;
pub use interconnect::*;

#[rustfmt::skip]
mod interconnect_attachment;
pub use interconnect_attachment::*;

#[rustfmt::skip]
mod interconnect_attachment_group;
pub use interconnect_attachment_group::*;

#[rustfmt::skip]
mod interconnect_group;
pub use interconnect_group::*;

#[rustfmt::skip]
mod managed_ssl_certificate;
pub use managed_ssl_certificate::*;

#[rustfmt::skip]
mod network;
pub use network::*;

#[rustfmt::skip]
mod network_attachment;
pub use network_attachment::*;

#[rustfmt::skip]
mod network_endpoint;
pub use network_endpoint::*;

#[rustfmt::skip]
mod network_endpoint_group;
pub use network_endpoint_group::*;

#[rustfmt::skip]
mod network_endpoints;
pub use network_endpoints::*;

#[rustfmt::skip]
mod network_firewall_policy;
pub use network_firewall_policy::*;

#[rustfmt::skip]
mod network_firewall_policy_association;
pub use network_firewall_policy_association::*;

#[rustfmt::skip]
mod network_firewall_policy_rule;
pub use network_firewall_policy_rule::*;

#[rustfmt::skip]
mod network_firewall_policy_with_rules;
pub use network_firewall_policy_with_rules::*;

#[rustfmt::skip]
mod network_peering;
pub use network_peering::*;

#[rustfmt::skip]
mod network_peering_routes_config;
pub use network_peering_routes_config::*;

#[rustfmt::skip]
mod node_group;
pub use node_group::*;

#[rustfmt::skip]
mod node_template;
pub use node_template::*;

#[rustfmt::skip]
mod packet_mirroring;
pub use packet_mirroring::*;

#[rustfmt::skip]
mod per_instance_config;
pub use per_instance_config::*;

#[rustfmt::skip]
mod project_cloud_armor_tier;
pub use project_cloud_armor_tier::*;

#[rustfmt::skip]
mod project_default_network_tier;
pub use project_default_network_tier::*;

#[rustfmt::skip]
mod project_metadata;
pub use project_metadata::*;

#[rustfmt::skip]
mod project_metadata_item;
pub use project_metadata_item::*;

#[rustfmt::skip]
mod public_advertised_prefix;
pub use public_advertised_prefix::*;

#[rustfmt::skip]
mod public_delegated_prefix;
pub use public_delegated_prefix::*;

#[rustfmt::skip]
mod region_autoscaler;
pub use region_autoscaler::*;

#[rustfmt::skip]
mod region_backend_service;
pub use region_backend_service::*;

#[rustfmt::skip]
mod region_commitment;
pub use region_commitment::*;

#[rustfmt::skip]
mod region_disk;
pub use region_disk::*;

#[rustfmt::skip]
mod region_disk_iam_binding;
pub use region_disk_iam_binding::*;

#[rustfmt::skip]
mod region_disk_iam_member;
pub use region_disk_iam_member::*;

#[rustfmt::skip]
mod region_disk_iam_policy;
pub use region_disk_iam_policy::*;

#[rustfmt::skip]
mod region_disk_resource_policy_attachment;
pub use region_disk_resource_policy_attachment::*;

#[rustfmt::skip]
mod region_health_check;
pub use region_health_check::*;

#[rustfmt::skip]
mod region_instance_group_manager;
pub use region_instance_group_manager::*;

#[rustfmt::skip]
mod region_instance_template;
pub use region_instance_template::*;

#[rustfmt::skip]
mod region_network_endpoint;
pub use region_network_endpoint::*;

#[rustfmt::skip]
mod region_network_endpoint_group;
pub use region_network_endpoint_group::*;

#[rustfmt::skip]
mod region_network_firewall_policy;
pub use region_network_firewall_policy::*;

#[rustfmt::skip]
mod region_network_firewall_policy_association;
pub use region_network_firewall_policy_association::*;

#[rustfmt::skip]
mod region_network_firewall_policy_rule;
pub use region_network_firewall_policy_rule::*;

#[rustfmt::skip]
mod region_network_firewall_policy_with_rules;
pub use region_network_firewall_policy_with_rules::*;

#[rustfmt::skip]
mod region_per_instance_config;
pub use region_per_instance_config::*;

#[rustfmt::skip]
mod region_security_policy;
pub use region_security_policy::*;

#[rustfmt::skip]
mod region_security_policy_rule;
pub use region_security_policy_rule::*;

#[rustfmt::skip]
mod region_ssl_certificate;
pub use region_ssl_certificate::*;

#[rustfmt::skip]
mod region_ssl_policy;
pub use region_ssl_policy::*;

#[rustfmt::skip]
mod region_target_http_proxy;
pub use region_target_http_proxy::*;

#[rustfmt::skip]
mod region_target_https_proxy;
pub use region_target_https_proxy::*;

#[rustfmt::skip]
mod region_target_tcp_proxy;
pub use region_target_tcp_proxy::*;

#[rustfmt::skip]
mod region_url_map;
pub use region_url_map::*;

#[rustfmt::skip]
mod reservation;
pub use reservation::*;

#[rustfmt::skip]
mod resize_request;
pub use resize_request::*;

#[rustfmt::skip]
mod resource_policy;
pub use resource_policy::*;

#[rustfmt::skip]
mod resource_policy_attachment;
pub use resource_policy_attachment::*;

#[rustfmt::skip]
mod route;
pub use route::*;

#[rustfmt::skip]
mod router;
pub use router::*;

#[rustfmt::skip]
mod router_interface;
pub use router_interface::*;

#[rustfmt::skip]
mod router_nat;
pub use router_nat::*;

#[rustfmt::skip]
mod router_nat_address;
pub use router_nat_address::*;

#[rustfmt::skip]
mod router_peer;
pub use router_peer::*;

#[rustfmt::skip]
mod router_route_policy;
pub use router_route_policy::*;

#[rustfmt::skip]
mod security_policy;
pub use security_policy::*;

#[rustfmt::skip]
mod security_policy_rule;
pub use security_policy_rule::*;

#[rustfmt::skip]
mod service_attachment;
pub use service_attachment::*;

#[rustfmt::skip]
mod shared_vpc_host_project;
pub use shared_vpc_host_project::*;

#[rustfmt::skip]
mod shared_vpc_service_project;
pub use shared_vpc_service_project::*;

#[rustfmt::skip]
mod snapshot;
pub use snapshot::*;

#[rustfmt::skip]
mod snapshot_iam_binding;
pub use snapshot_iam_binding::*;

#[rustfmt::skip]
mod snapshot_iam_member;
pub use snapshot_iam_member::*;

#[rustfmt::skip]
mod snapshot_iam_policy;
pub use snapshot_iam_policy::*;

#[rustfmt::skip]
mod snapshot_settings;
pub use snapshot_settings::*;

#[rustfmt::skip]
mod ssl_certificate;
pub use ssl_certificate::*;

#[rustfmt::skip]
mod ssl_policy;
pub use ssl_policy::*;

#[rustfmt::skip]
mod storage_pool;
pub use storage_pool::*;

#[rustfmt::skip]
mod storage_pool_iam_binding;
pub use storage_pool_iam_binding::*;

#[rustfmt::skip]
mod storage_pool_iam_member;
pub use storage_pool_iam_member::*;

#[rustfmt::skip]
mod storage_pool_iam_policy;
pub use storage_pool_iam_policy::*;

#[rustfmt::skip]
mod subnetwork;
pub use subnetwork::*;

#[rustfmt::skip]
mod subnetwork_iam_binding;
pub use subnetwork_iam_binding::*;

#[rustfmt::skip]
mod subnetwork_iam_member;
pub use subnetwork_iam_member::*;

#[rustfmt::skip]
mod subnetwork_iam_policy;
pub use subnetwork_iam_policy::*;

#[rustfmt::skip]
mod target_grpc_proxy;
pub use target_grpc_proxy::*;

#[rustfmt::skip]
mod target_http_proxy;
pub use target_http_proxy::*;

#[rustfmt::skip]
mod target_https_proxy;
pub use target_https_proxy::*;

#[rustfmt::skip]
mod target_instance;
pub use target_instance::*;

#[rustfmt::skip]
mod target_pool;
pub use target_pool::*;

#[rustfmt::skip]
mod target_ssl_proxy;
pub use target_ssl_proxy::*;

#[rustfmt::skip]
mod target_tcp_proxy;
pub use target_tcp_proxy::*;

#[rustfmt::skip]
mod url_map;
pub use url_map::*;

#[rustfmt::skip]
mod vpn_gateway;
pub use vpn_gateway::*;

#[rustfmt::skip]
mod vpn_tunnel;
pub use vpn_tunnel::*;

#[rustfmt::skip]
mod data_address;
pub use data_address::*;

#[rustfmt::skip]
mod data_addresses;
pub use data_addresses::*;

#[rustfmt::skip]
mod data_backend_bucket;
pub use data_backend_bucket::*;

#[rustfmt::skip]
mod data_backend_service;
pub use data_backend_service::*;

#[rustfmt::skip]
mod data_default_service_account;
pub use data_default_service_account::*;

#[rustfmt::skip]
mod data_disk;
pub use data_disk::*;

#[rustfmt::skip]
mod data_disk_iam_policy;
pub use data_disk_iam_policy::*;

#[rustfmt::skip]
mod data_forwarding_rule;
pub use data_forwarding_rule::*;

#[rustfmt::skip]
mod data_forwarding_rules;
pub use data_forwarding_rules::*;

#[rustfmt::skip]
mod data_global_address;
pub use data_global_address::*;

#[rustfmt::skip]
mod data_global_forwarding_rule;
pub use data_global_forwarding_rule::*;

#[rustfmt::skip]
mod data_ha_vpn_gateway;
pub use data_ha_vpn_gateway::*;

#[rustfmt::skip]
mod data_health_check;
pub use data_health_check::*;

#[rustfmt::skip]
mod data_image;
pub use data_image::*;

#[rustfmt::skip]
mod data_image_iam_policy;
pub use data_image_iam_policy::*;

#[rustfmt::skip]
mod data_images;
pub use data_images::*;

#[rustfmt::skip]
mod data_instance;
pub use data_instance::*;

#[rustfmt::skip]
mod data_instance_group;
pub use data_instance_group::*;

#[rustfmt::skip]
mod data_instance_group_manager;
pub use data_instance_group_manager::*;

#[rustfmt::skip]
mod data_instance_guest_attributes;
pub use data_instance_guest_attributes::*;

#[rustfmt::skip]
mod data_instance_iam_policy;
pub use data_instance_iam_policy::*;

#[rustfmt::skip]
mod data_instance_serial_port;
pub use data_instance_serial_port::*;

#[rustfmt::skip]
mod data_instance_template;
pub use data_instance_template::*;

#[rustfmt::skip]
mod data_instance_template_iam_policy;
pub use data_instance_template_iam_policy::*;

#[rustfmt::skip]
mod data_instant_snapshot_iam_policy;
pub use data_instant_snapshot_iam_policy::*;

#[rustfmt::skip]
mod data_lb_ip_ranges;
pub use data_lb_ip_ranges::*;

#[rustfmt::skip]
mod data_machine_types;
pub use data_machine_types::*;

#[rustfmt::skip]
mod data_network;
pub use data_network::*;

#[rustfmt::skip]
mod data_network_attachment;
pub use data_network_attachment::*;

#[rustfmt::skip]
mod data_network_endpoint_group;
pub use data_network_endpoint_group::*;

#[rustfmt::skip]
mod data_network_peering;
pub use data_network_peering::*;

#[rustfmt::skip]
mod data_networks;
pub use data_networks::*;

#[rustfmt::skip]
mod data_node_types;
pub use data_node_types::*;

#[rustfmt::skip]
mod data_region_backend_service;
pub use data_region_backend_service::*;

#[rustfmt::skip]
mod data_region_disk;
pub use data_region_disk::*;

#[rustfmt::skip]
mod data_region_disk_iam_policy;
pub use data_region_disk_iam_policy::*;

#[rustfmt::skip]
mod data_region_instance_group;
pub use data_region_instance_group::*;

#[rustfmt::skip]
mod data_region_instance_group_manager;
pub use data_region_instance_group_manager::*;

#[rustfmt::skip]
mod data_region_instance_template;
pub use data_region_instance_template::*;

#[rustfmt::skip]
mod data_region_network_endpoint_group;
pub use data_region_network_endpoint_group::*;

#[rustfmt::skip]
mod data_region_ssl_certificate;
pub use data_region_ssl_certificate::*;

#[rustfmt::skip]
mod data_region_ssl_policy;
pub use data_region_ssl_policy::*;

#[rustfmt::skip]
mod data_regions;
pub use data_regions::*;

#[rustfmt::skip]
mod data_reservation;
pub use data_reservation::*;

#[rustfmt::skip]
mod data_resource_policy;
pub use data_resource_policy::*;

#[rustfmt::skip]
mod data_router;
pub use data_router::*;

#[rustfmt::skip]
mod data_router_nat;
pub use data_router_nat::*;

#[rustfmt::skip]
mod data_router_status;
pub use data_router_status::*;

#[rustfmt::skip]
mod data_security_policy;
pub use data_security_policy::*;

#[rustfmt::skip]
mod data_snapshot;
pub use data_snapshot::*;

#[rustfmt::skip]
mod data_snapshot_iam_policy;
pub use data_snapshot_iam_policy::*;

#[rustfmt::skip]
mod data_ssl_certificate;
pub use data_ssl_certificate::*;

#[rustfmt::skip]
mod data_ssl_policy;
pub use data_ssl_policy::*;

#[rustfmt::skip]
mod data_storage_pool_iam_policy;
pub use data_storage_pool_iam_policy::*;

#[rustfmt::skip]
mod data_storage_pool_types;
pub use data_storage_pool_types::*;

#[rustfmt::skip]
mod data_subnetwork;
pub use data_subnetwork::*;

#[rustfmt::skip]
mod data_subnetwork_iam_policy;
pub use data_subnetwork_iam_policy::*;

#[rustfmt::skip]
mod data_subnetworks;
pub use data_subnetworks::*;

#[rustfmt::skip]
mod data_vpn_gateway;
pub use data_vpn_gateway::*;

#[rustfmt::skip]
mod data_zones;
pub use data_zones::*;
