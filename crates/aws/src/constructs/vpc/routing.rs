//! Routing of a [`Vpc`](super::Vpc): public subnets through the internet gateway,
//! private ones through NAT gateways, database subnets with no route out.

use terrane_core::Stack;

use super::{NatGateways, Vpc};
use crate::vpc::{
    Eip, InternetGateway, NatGateway, NatGatewayRef, Route, RouteTable, RouteTableAssociation,
    SubnetRef, VpcRef,
};

impl Vpc {
    /// The internet gateway and the public route table every public subnet uses.
    pub(super) fn route_public(
        &self,
        stack: &mut Stack,
        id: &str,
        vpc: &VpcRef,
        public: &[SubnetRef],
    ) {
        let igw = stack.add(
            id,
            InternetGateway::new()
                .vpc_id(vpc.id())
                .tags(crate::constructs::tags(&self.name, &self.tags)),
        );
        let public_rt = stack.add(
            &format!("{id}_public"),
            RouteTable::new(vpc.id()).tags(crate::constructs::tags(
                &format!("{}-public", self.name),
                &self.tags,
            )),
        );
        stack.add(
            &format!("{id}_public_internet"),
            Route::new(public_rt.id())
                .destination_cidr_block("0.0.0.0/0")
                .gateway_id(igw.id()),
        );
        for (i, s) in public.iter().enumerate() {
            stack.add(
                &format!("{id}_public_{i}"),
                RouteTableAssociation::new(public_rt.id()).subnet_id(s.id()),
            );
        }
    }

    /// NAT gateways in the public subnets (as many as the layout asks for); returns them.
    fn declare_nat_gateways(
        &self,
        stack: &mut Stack,
        id: &str,
        public: &[SubnetRef],
    ) -> Vec<NatGatewayRef> {
        let count = match self.nat {
            NatGateways::PerAz => public.len(),
            NatGateways::Single => public.len().min(1),
            NatGateways::None => 0,
        };
        let mut nats = Vec::new();
        for (i, subnet) in public.iter().enumerate().take(count) {
            let eip = stack.add(
                &format!("{id}_nat_{i}"),
                Eip::new().domain("vpc").tags(crate::constructs::tags(
                    &format!("{}-nat-{i}", self.name),
                    &self.tags,
                )),
            );
            nats.push(
                stack.add(
                    &format!("{id}_{i}"),
                    NatGateway::new(subnet.id()).allocation_id(eip.id()).tags(
                        crate::constructs::tags(&format!("{}-{i}", self.name), &self.tags),
                    ),
                ),
            );
        }
        nats
    }

    /// A route table per private subnet, its default route through a NAT gateway
    /// (shared round-robin when there are fewer gateways than zones); returns how many
    /// NAT gateways were declared.
    pub(super) fn route_private(
        &self,
        stack: &mut Stack,
        id: &str,
        vpc: &VpcRef,
        public: &[SubnetRef],
        private: &[SubnetRef],
    ) -> usize {
        let nats = self.declare_nat_gateways(stack, id, public);
        for (i, s) in private.iter().enumerate() {
            let rt = stack.add(
                &format!("{id}_private_{i}"),
                RouteTable::new(vpc.id()).tags(crate::constructs::tags(
                    &format!("{}-private-{i}", self.name),
                    &self.tags,
                )),
            );
            if !nats.is_empty() {
                let nat = &nats[i % nats.len()];
                stack.add(
                    &format!("{id}_private_{i}_internet"),
                    Route::new(rt.id())
                        .destination_cidr_block("0.0.0.0/0")
                        .nat_gateway_id(nat.id()),
                );
            }
            stack.add(
                &format!("{id}_private_{i}"),
                RouteTableAssociation::new(rt.id()).subnet_id(s.id()),
            );
        }
        nats.len()
    }

    /// One route table for the database subnets, with no route out of the VPC.
    pub(super) fn route_database(
        &self,
        stack: &mut Stack,
        id: &str,
        vpc: &VpcRef,
        database: &[SubnetRef],
    ) {
        if database.is_empty() {
            return;
        }
        let rt = stack.add(
            &format!("{id}_database"),
            RouteTable::new(vpc.id()).tags(crate::constructs::tags(
                &format!("{}-database", self.name),
                &self.tags,
            )),
        );
        for (i, s) in database.iter().enumerate() {
            stack.add(
                &format!("{id}_database_{i}"),
                RouteTableAssociation::new(rt.id()).subnet_id(s.id()),
            );
        }
    }
}
