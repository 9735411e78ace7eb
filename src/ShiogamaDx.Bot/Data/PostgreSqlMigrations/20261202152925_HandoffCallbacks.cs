using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ShiogamaDx.Bot.Data.PostgreSqlMigrations
{
    /// <inheritdoc />
    public partial class HandoffCallbacks : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "CallbackDoneAt",
                table: "Handoffs",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "CallbackPhone",
                table: "Handoffs",
                type: "character varying(40)",
                maxLength: 40,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ResidentChannel",
                table: "Handoffs",
                type: "character varying(20)",
                maxLength: 20,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "StaffChannel",
                table: "Handoffs",
                type: "character varying(20)",
                maxLength: 20,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Topic",
                table: "Handoffs",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "CallbackDoneAt",
                table: "Handoffs");

            migrationBuilder.DropColumn(
                name: "CallbackPhone",
                table: "Handoffs");

            migrationBuilder.DropColumn(
                name: "ResidentChannel",
                table: "Handoffs");

            migrationBuilder.DropColumn(
                name: "StaffChannel",
                table: "Handoffs");

            migrationBuilder.DropColumn(
                name: "Topic",
                table: "Handoffs");
        }
    }
}
